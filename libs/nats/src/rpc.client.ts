import { Inject, Injectable } from '@nestjs/common';
import {
  type ReplyOf,
  type RequestOf,
  rpcMethods,
  RpcReplyEnvelope,
  type RpcSubject,
} from '@optralis/contracts';
import { ErrorCode, type NatsError } from 'nats';

import { decodeJson, encodeJson } from './codec';
import { traceHeaders } from './jetstream.publisher';
import { NatsConnectionService } from './nats-connection.service';
import { NATS_OPTIONS, type NatsOptions } from './nats.options';
import { RpcError } from './rpc.errors';

const DEFAULT_TIMEOUT_MS = 5000;

/** Calls `rpc.<service>.<method>`: request and reply validated by the contract, failures as RpcError. */
@Injectable()
export class RpcClient {
  constructor(
    private readonly nats: NatsConnectionService,
    @Inject(NATS_OPTIONS) private readonly options: NatsOptions,
  ) {}

  async call<S extends RpcSubject>(
    subject: S,
    request: RequestOf<S>,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<S>> {
    const timeoutMs = options.timeoutMs ?? this.options.rpcTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const method = rpcMethods[subject];
    const parsedRequest = method.request.safeParse(request);
    if (!parsedRequest.success) {
      throw new RpcError('invalid_request', `request for ${subject} is invalid`, parsedRequest.error.issues);
    }
    const connection = await this.connected(subject, timeoutMs);
    let reply;
    try {
      reply = await connection.request(this.nats.namespace.subject(subject), encodeJson(parsedRequest.data), {
        timeout: timeoutMs,
        headers: traceHeaders(),
      });
    } catch (error) {
      throw this.transportError(subject, timeoutMs, error as NatsError);
    }
    const decoded = decodeJson(reply.data);
    const envelope = decoded.ok ? RpcReplyEnvelope.safeParse(decoded.value) : undefined;
    if (!envelope?.success) throw new RpcError('internal', `${subject} answered with a malformed reply`);
    if (!envelope.data.ok) throw RpcError.fromBody(envelope.data.error);
    const parsedReply = method.reply.safeParse(envelope.data.data);
    if (!parsedReply.success) {
      throw new RpcError('internal', `${subject} answered outside its contract`, parsedReply.error.issues);
    }
    return parsedReply.data as ReplyOf<S>;
  }

  private async connected(subject: string, timeoutMs: number) {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.nats.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new RpcError('unavailable', `NATS is not reachable, so ${subject} cannot be called`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private transportError(subject: string, timeoutMs: number, error: NatsError): RpcError {
    if (error.code === ErrorCode.NoResponders) {
      return new RpcError('unavailable', `no instance answers ${subject}`);
    }
    if (error.code === ErrorCode.Timeout) {
      return new RpcError('timeout', `${subject} did not answer within ${timeoutMs} ms`);
    }
    return new RpcError('unavailable', `${subject} failed: ${error.message}`);
  }
}
