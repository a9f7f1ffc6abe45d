import { Injectable } from '@nestjs/common';
import { pingSubject, SERVICE_NAMES, type ServiceName } from '@optralis/contracts';
import { RpcClient, RpcError } from '@optralis/nats';

export const PING_TIMEOUT_MS = 1500;

export interface ServiceStatus {
  name: ServiceName;
  status: 'up' | 'down';
  latencyMs: number;
  version?: string;
  instanceId?: string;
  uptimeSeconds?: number;
  error?: { code: string; message: string };
}

export interface SystemStatus {
  status: 'ok' | 'degraded';
  checkedAt: string;
  services: ServiceStatus[];
}

/** Asks every service over NATS whether it answers, all at once, each bounded by the same timeout. */
@Injectable()
export class SystemStatusService {
  constructor(private readonly rpc: RpcClient) {}

  async status(): Promise<SystemStatus> {
    const services = await Promise.all(SERVICE_NAMES.map((name) => this.ping(name)));
    return {
      status: services.every((service) => service.status === 'up') ? 'ok' : 'degraded',
      checkedAt: new Date().toISOString(),
      services,
    };
  }

  private async ping(name: ServiceName): Promise<ServiceStatus> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const reply = await this.rpc.call(pingSubject(name), {}, { timeoutMs: PING_TIMEOUT_MS });
      return {
        name,
        status: 'up',
        latencyMs: latency(),
        version: reply.version,
        instanceId: reply.instanceId,
        uptimeSeconds: reply.uptimeSeconds,
      };
    } catch (error) {
      const failure =
        error instanceof RpcError
          ? { code: error.code, message: error.message }
          : { code: 'internal', message: (error as Error).message };
      return { name, status: 'down', latencyMs: latency(), error: failure };
    }
  }
}
