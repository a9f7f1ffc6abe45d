import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';

import { RouteCatalogue } from './route-catalogue';
import { RouteResponseInterceptor } from './route-response.interceptor';

@Module({
  imports: [DiscoveryModule],
  providers: [RouteCatalogue, { provide: APP_INTERCEPTOR, useClass: RouteResponseInterceptor }],
  exports: [RouteCatalogue],
})
export class OpenApiModule {}
