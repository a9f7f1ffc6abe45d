import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MetricsRegistry } from './metrics.registry';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';
import { ReadinessRegistry, type ReadinessReport } from './readiness.registry';

export interface HealthResponse {
  status: 'ok';
  service: string;
  version: string;
  uptimeSeconds: number;
}

export type ReadyResponse =
  | { status: 'ready'; checks: ReadinessReport['checks'] }
  | { status: 'not_ready'; reason: string; checks: ReadinessReport['checks'] };

@Controller()
export class HealthController {
  constructor(
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsRegistry,
  ) {}

  @Get('health')
  health(): HealthResponse {
    const { service, version } = this.options;
    return { status: 'ok', service, version, uptimeSeconds: Math.floor(process.uptime()) };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyResponse> {
    const report = await this.readiness.evaluate();
    if (report.ready) return { status: 'ready', checks: report.checks };
    reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'not_ready', reason: report.reason ?? 'not ready', checks: report.checks };
  }

  @Get('metrics')
  async exposition(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', this.metrics.contentType);
    return this.metrics.exposition();
  }
}
