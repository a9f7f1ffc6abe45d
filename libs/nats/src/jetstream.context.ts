import { BaseRpcContext } from '@nestjs/microservices';

export interface JetStreamMessageInfo {
  /** The contract subject, without the namespace prefix. */
  subject: string;
  stream: string;
  streamSequence: number;
  deliveryCount: number;
  msgId?: string;
  headers: Record<string, string>;
}

/** What `@Ctx()` gives a JetStream or RPC handler. */
export class JetStreamContext extends BaseRpcContext<[JetStreamMessageInfo]> {
  get info(): JetStreamMessageInfo {
    return this.getArgByIndex(0);
  }
}

export function headersToRecord(
  headers: { keys(): string[]; get(key: string): string } | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of headers?.keys() ?? []) result[key] = headers!.get(key);
  return result;
}
