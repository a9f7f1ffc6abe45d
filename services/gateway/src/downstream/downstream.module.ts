import { Global, Module } from '@nestjs/common';

import { Downstream } from './downstream.service';

@Global()
@Module({ providers: [Downstream], exports: [Downstream] })
export class DownstreamModule {}
