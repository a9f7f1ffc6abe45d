import { Injectable, Logger } from '@nestjs/common';
import type { ReplyOf, RequestOf, RpcSubject } from '@optralis/contracts';
import { RpcClient, RpcError } from '@optralis/nats';
import { MetricsRegistry } from '@optralis/observability';
import type { Histogram } from 'prom-client';

import { problemOfRpcError, serviceOfSubject } from './rpc-problem';

/**
 * The only way route modules reach a service: `rpc.<service>.<method>` through RpcClient, with every
 * failure turned into a problem (RpcError codes → statuses, silence → 504) and each call timed on /metrics.
 */
@Injectable()
export class Downstream {
  private readonly logger = new Logger(Downstream.name);
  private readonly duration: Histogram<'service' | 'method' | 'outcome'>;

  constructor(
    private readonly rpc: RpcClient,
    metrics: MetricsRegistry,
  ) {
    this.duration = metrics.histogram({
      name: 'gateway_downstream_duration_seconds',
      help: 'Duration of the RPC calls the gateway makes, by service, method and outcome (ok or error code).',
      labelNames: ['service', 'method', 'outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  async call<S extends RpcSubject>(
    subject: S,
    request: RequestOf<S>,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<S>> {
    const service = serviceOfSubject(subject);
    const method = subject.slice(`rpc.${service}.`.length);
    const stop = this.duration.startTimer({ service, method });
    try {
      const reply = await this.rpc.call(subject, request, options);
      stop({ outcome: 'ok' });
      return reply;
    } catch (error) {
      if (!(error instanceof RpcError)) {
        stop({ outcome: 'exception' });
        throw error;
      }
      stop({ outcome: error.code.slice(0, 60) });
      const { problem, unexpected } = problemOfRpcError(subject, error);
      if (unexpected) {
        this.logger.error(
          { subject, code: error.code, errorId: problem.problem.errorId, error: error.message },
          'downstream call failed unexpectedly',
        );
      }
      throw problem;
    }
  }
}
