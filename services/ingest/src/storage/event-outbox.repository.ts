import { Injectable } from '@nestjs/common';
import type { HostEvent } from '@optralis/contracts';

import type { OutboxEvent } from './host-events';
import type { SqlSession } from './sql-session.repository';

export interface PendingEvent {
  id: string;
  msgId: string;
  payload: HostEvent;
}

/** `ingest.event_outbox`: host events written with the change that raised them, published by the relay. */
@Injectable()
export class EventOutboxRepository {
  /** Adds events; one already present (same msg id) is kept once. Returns how many were new. */
  async add(session: SqlSession, events: OutboxEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const { rowCount } = await session.client.query(
      `INSERT INTO "ingest"."event_outbox" ("msg_id", "payload")
       SELECT v."msg_id", v."payload"::jsonb FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v("msg_id", "payload", "ord")
       ORDER BY v."ord"
       ON CONFLICT ("msg_id") DO NOTHING`,
      [events.map((event) => event.msgId), events.map((event) => JSON.stringify(event.payload))],
    );
    return rowCount ?? 0;
  }

  /** The oldest events, in the order they were written. */
  async oldest(session: SqlSession, limit: number): Promise<PendingEvent[]> {
    const { rows } = await session.client.query<{ id: string; msg_id: string; payload: HostEvent }>(
      `SELECT "id", "msg_id", "payload" FROM "ingest"."event_outbox" ORDER BY "id" LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ id: row.id, msgId: row.msg_id, payload: row.payload }));
  }

  async remove(session: SqlSession, ids: string[]): Promise<void> {
    await session.client.query(`DELETE FROM "ingest"."event_outbox" WHERE "id" = ANY($1::bigint[])`, [ids]);
  }

  async recordFailure(session: SqlSession, ids: string[], reason: string): Promise<void> {
    await session.client.query(
      `UPDATE "ingest"."event_outbox" SET "attempts" = "attempts" + 1, "last_error" = left($2, 2000)
       WHERE "id" = ANY($1::bigint[])`,
      [ids, reason],
    );
  }
}
