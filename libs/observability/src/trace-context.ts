import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';

/** Header names used on HTTP and on NATS messages, so a trace crosses both. */
export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACE_ID_HEADER = 'x-trace-id';
export const TRACEPARENT_HEADER = 'traceparent';

export interface TraceContext {
  traceId: string;
  requestId: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newTraceContext(partial: Partial<TraceContext> = {}): TraceContext {
  return { traceId: partial.traceId ?? newTraceId(), requestId: partial.requestId ?? randomUUID() };
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

export function runWithTrace<T>(context: TraceContext, work: () => T): T {
  return storage.run(context, work);
}

/** Binds the rest of the current synchronous flow (e.g. a Fastify hook) to the context. */
export function enterTrace(context: TraceContext): void {
  storage.enterWith(context);
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reads ids from incoming headers (HTTP or NATS); anything malformed is replaced, never trusted. */
export function traceFromHeaders(get: (name: string) => string | undefined): TraceContext {
  const traceparent = get(TRACEPARENT_HEADER)?.trim().toLowerCase();
  const fromTraceparent = traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
  const traceHeader = get(TRACE_ID_HEADER)?.trim();
  const requestHeader = get(REQUEST_ID_HEADER)?.trim();
  return newTraceContext({
    traceId: fromTraceparent ?? (traceHeader && SAFE_ID.test(traceHeader) ? traceHeader : undefined),
    requestId: requestHeader && SAFE_ID.test(requestHeader) ? requestHeader : undefined,
  });
}
