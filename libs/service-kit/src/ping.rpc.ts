import { Controller, Inject, type Type } from '@nestjs/common';
import { type PingReply, pingSubject, type ServiceName } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { SERVICE_IDENTITY, type ServiceIdentity } from './service-identity';

/** `rpc.<service>.ping`: the first real RPC of every service, answered with its version. */
export function createPingRpc(service: ServiceName): Type<unknown> {
  @Controller()
  class PingRpc {
    constructor(@Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity) {}

    @RpcMethod(pingSubject(service))
    async ping(): Promise<PingReply> {
      return {
        service: this.identity.service,
        version: this.identity.version,
        instanceId: this.identity.instanceId,
        uptimeSeconds: Math.round((Date.now() - this.identity.startedAt.getTime()) / 1000),
      };
    }
  }
  return PingRpc;
}
