import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { type TraceContext, traceFromHeaders } from './trace-context';

const traces = new WeakMap<IncomingMessage, TraceContext>();

function firstValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The trace of one HTTP request, read from its headers once. pino-http and the Fastify hooks both
 * ask for it, in an order that depends on when each was registered, so the first caller decides.
 */
export function traceOfRequest(request: IncomingMessage): TraceContext {
  let trace = traces.get(request);
  if (!trace) {
    trace = traceFromHeaders((name) => firstValue(request.headers, name));
    traces.set(request, trace);
  }
  return trace;
}

export function traceFields(trace: TraceContext | undefined): { request_id?: string; trace_id?: string } {
  return trace ? { request_id: trace.requestId, trace_id: trace.traceId } : {};
}
