import { type DynamicModule, Global, Module } from '@nestjs/common';

import type { GatewayConfig } from './config';

/** Injection token of the service's parsed configuration. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Injection token of the time source; tests move it forward to see tokens expire. */
export const GATEWAY_CLOCK = Symbol('GATEWAY_CLOCK');
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

@Global()
@Module({})
export class GatewayConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayConfigModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_CLOCK, useValue: systemClock },
      ],
      exports: [GATEWAY_CONFIG, GATEWAY_CLOCK],
    };
  }
}

/** True when clients reach the gateway over https: cookies get `Secure` and responses HSTS. */
export function servedOverHttps(config: GatewayConfig, requestProtocol?: string): boolean {
  return requestProtocol === 'https' || config.GATEWAY_PUBLIC_URL.startsWith('https:');
}
