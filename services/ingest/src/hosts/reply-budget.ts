import { Injectable } from '@nestjs/common';
import { NatsConnectionService } from '@optralis/nats';

/** nats-server's default `max_payload`, used until the server has told its own. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Room for the reply envelope and the headers. */
const ENVELOPE_BYTES = 16 * 1024;

/** How large one RPC answer may be: a reply over the server's `max_payload` would never arrive. */
@Injectable()
export class ReplyBudget {
  constructor(private readonly nats: NatsConnectionService) {}

  async maxReplyBytes(): Promise<number> {
    const connection = await this.nats.connect();
    return (connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - ENVELOPE_BYTES;
  }
}
