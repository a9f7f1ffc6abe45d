import { Injectable } from '@nestjs/common';

import type { SqlSession } from './sql-session.repository';

/** `HostEvent.id` allows 200 characters; longer ids are hashed exactly as `hostEventId` does. */
const OFFLINE_SWEEP = `
  WITH stale AS (
    SELECT "key" FROM "ingest"."hosts"
    WHERE "status" = 'online' AND "last_seen" < now() - make_interval(secs => "interval_seconds" * $1)
    ORDER BY "key"
    FOR UPDATE SKIP LOCKED
  ), changed AS (
    UPDATE "ingest"."hosts" h SET "status" = 'offline', "status_changed_at" = now(), "updated_at" = now()
    FROM stale WHERE h."key" = stale."key"
    RETURNING h."tenant_id", h."host_id", h."name", h."last_seen", h."interval_seconds", h."status_changed_at"
  ), named AS (
    SELECT changed.*, 'host:' || "tenant_id" || ':' || "host_id" || ':offline:'
             || floor(extract(epoch FROM "status_changed_at") * 1000)::bigint AS "raw_id"
    FROM changed
  ), events AS (
    SELECT named.*, CASE WHEN length("raw_id") <= 200 THEN "raw_id"
                         ELSE 'host:' || encode(sha256(convert_to("raw_id", 'UTF8')), 'hex') END AS "msg_id"
    FROM named
  ), written AS (
    INSERT INTO "ingest"."event_outbox" ("msg_id", "payload")
    SELECT "msg_id", jsonb_build_object(
      'id', "msg_id", 'tenantId', "tenant_id", 'hostId', "host_id", 'hostName', "name", 'kind', 'offline',
      'time', to_char("status_changed_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'data', jsonb_build_object(
        'lastSeen', to_char("last_seen" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'intervalSeconds', "interval_seconds"))
    FROM events
    ORDER BY "tenant_id", "host_id"
    ON CONFLICT ("msg_id") DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM changed)::int AS "offline", (SELECT count(*) FROM written)::int AS "events"`;

/** The offline sweep: one statement marks stale hosts offline and writes their `offline` events. */
@Injectable()
export class HostStatusRepository {
  /**
   * Hosts that missed `missedIntervals` of their own intervals go offline; rows a writer holds are skipped
   * (they are being refreshed right now).
   */
  async markStaleOffline(
    session: SqlSession,
    missedIntervals: number,
  ): Promise<{ offline: number; events: number }> {
    const { rows } = await session.client.query<{ offline: number; events: number }>(OFFLINE_SWEEP, [
      missedIntervals,
    ]);
    return rows[0];
  }
}
