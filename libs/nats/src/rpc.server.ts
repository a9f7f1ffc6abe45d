import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { isRpcSubject, rpcMethods, type RpcReplyEnvelope } from '@optralis/contracts';
import { runWithTrace, traceFromHeaders } from '@optralis/observability';
import type { Msg, NatsConnection, Subscription } from 'nats';

import { decodeJson, encodeJson } from './codec';
import { headersToRecord, type JetStreamMessageInfo } from './jetstream.context';
import type { NatsNamespace } from './namespace';
import { RpcError } from './rpc.errors';

export type RpcHandler = (request: unknown, info: JetStreamMessageInfo) => Promise<unknown>;

/** Serves one `rpc.*` subject in the service's queue group with contract validation on both sides. */
export class RpcResponder {
  private readonly logger: Logger;
  private subscription?: Subscription;

  constructor(
    private readonly subject: string,
    private readonly handler: RpcHandler,
    private readonly namespace: NatsNamespace,
  ) {
    if (!isRpcSubject(subject))
      throw new Error(`${subject} is not in the RPC contract (libs/contracts rpcMethods)`);
    this.logger = new Logger(`Rpc:${subject}`);
  }

  start(connection: NatsConnection, queue: string): void {
    this.subscription = connection.subscribe(this.namespace.subject(this.subject), {
      queue: this.namespace.subject(queue),
      callback: (error, message) => {
        if (error) return this.logger.error({ error: error.message }, 'subscription error');
        void this.answer(message);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.drain();
  }

  private async answer(message: Msg): Promise<void> {
    const trace = traceFromHeaders((name) => message.headers?.get(name) || undefined);
    const envelope = await runWithTrace(trace, () => this.handle(message));
    if (!message.reply) return;
    const encoded = encodeJson(envelope);
    try {
      message.respond(encoded);
    } catch (error) {
      // A reply over the server's max_payload throws here; the caller gets a coded error instead of a timeout.
      this.logger.error(
        { subject: this.subject, bytes: encoded.length, error: (error as Error).message },
        'reply not sent',
      );
      const refusal: RpcReplyEnvelope = {
        ok: false,
        error: {
          code: 'reply_too_large',
          message: `the answer (${encoded.length} bytes) is larger than NATS carries; ask for less (a smaller page or range)`,
        },
      };
      try {
        message.respond(encodeJson(refusal));
      } catch (secondError) {
        this.logger.error({ error: (secondError as Error).message }, 'error reply not sent either');
      }
    }
  }

  private async handle(message: Msg): Promise<RpcReplyEnvelope> {
    if (!isRpcSubject(this.subject)) throw new Error('unreachable');
    const method = rpcMethods[this.subject];
    const decoded = decodeJson(message.data);
    if (!decoded.ok) return { ok: false, error: { code: 'invalid_request', message: decoded.reason } };
    const request = method.request.safeParse(decoded.value);
    if (!request.success) {
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `request for ${this.subject} is invalid`,
          details: request.error.issues,
        },
      };
    }
    try {
      const headers = headersToRecord(message.headers);
      const result = await this.handler(request.data, {
        subject: this.subject,
        stream: '',
        streamSequence: 0,
        deliveryCount: 1,
        headers,
      });
      const reply = method.reply.safeParse(result);
      if (!reply.success) {
        const errorId = randomUUID();
        this.logger.error({ errorId, issues: reply.error.issues }, 'handler answered outside the contract');
        return {
          ok: false,
          error: { code: 'internal', message: 'the service answered outside its contract', errorId },
        };
      }
      return { ok: true, data: reply.data };
    } catch (error) {
      if (error instanceof RpcError) return { ok: false, error: error.toBody() };
      const errorId = randomUUID();
      this.logger.error(
        { errorId, error: (error as Error).message, stack: (error as Error).stack },
        'handler failed',
      );
      return { ok: false, error: { code: 'internal', message: 'internal error', errorId } };
    }
  }
}
