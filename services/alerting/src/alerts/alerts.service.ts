import { Injectable } from '@nestjs/common';
import type { AlertDetail, Delivery, ParsedRequestOf, TokenActor } from '@optralis/contracts';
import { DataSource } from 'typeorm';

import { canRead, canWrite } from '../shared/actor-access';
import { AlertingError, AlertingErrorCode } from '../shared/alerting.errors';
import { decodeCursor, page } from '../shared/list-cursor';
import { DeliveryWaker } from '../shared/ports';
import type { AlertRecord } from './alert.types';
import { AlertBook } from './alert-book';
import { AlertEventRelay } from './alert-event.relay';
import {
  ALERT_DELIVERIES_SQL,
  AlertQueriesRepository,
  type AlertDeliveryRow,
} from './alert-queries.repository';
import { toAlert } from './alert-row';
import { AlertsRepository } from './alerts.repository';

type ListRequest = ParsedRequestOf<'rpc.alerting.alerts.list'>;

function notFound(id: string): AlertingError {
  return new AlertingError(AlertingErrorCode.alertNotFound, `alert ${id} was not found`);
}

function toDelivery(row: AlertDeliveryRow): Delivery {
  return {
    id: row.id,
    channelId: row.channel_id,
    channelName: row.channel_name ?? '(deleted channel)',
    channelType: (row.channel_type ?? 'webhook') as Delivery['channelType'],
    alertId: row.alert_id,
    kind: row.kind as Delivery['kind'],
    status: row.status as Delivery['status'],
    attempts: row.attempts,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    createdAt: row.created_at.toISOString(),
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

/** Alert history for the API, and acknowledgement (which stops escalation and tells notified channels). */
@Injectable()
export class AlertsService {
  constructor(
    private readonly queries: AlertQueriesRepository,
    private readonly alerts: AlertsRepository,
    private readonly book: AlertBook,
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryWaker,
    private readonly relay: AlertEventRelay,
  ) {}

  async list(request: ListRequest) {
    const tenantId = canRead(request.actor);
    const rows = await this.queries.list(
      tenantId,
      {
        ...request,
        from: request.from ? new Date(request.from) : undefined,
        to: request.to ? new Date(request.to) : undefined,
      },
      decodeCursor(request.cursor),
      request.limit,
    );
    const result = page(rows, request.limit, (row) => ({ time: row.startedAt, id: row.id }));
    return { items: result.items.map(toAlert), nextCursor: result.nextCursor };
  }

  async get(actor: TokenActor, id: string): Promise<AlertDetail> {
    const tenantId = canRead(actor);
    const alert = await this.queries.get(tenantId, id);
    if (!alert) throw notFound(id);
    const transitions = await this.queries.transitions(tenantId, id);
    const deliveries: AlertDeliveryRow[] = await this.dataSource.query(ALERT_DELIVERIES_SQL, [tenantId, id]);
    return {
      ...toAlert(alert),
      transitions: transitions.map((transition) => ({ ...transition, time: transition.time.toISOString() })),
      deliveries: deliveries.map(toDelivery),
    };
  }

  async acknowledge(actor: TokenActor, id: string, note?: string) {
    const tenantId = canWrite(actor);
    const acknowledged = await this.alerts.lockForChange(tenantId, id, async (alert, save) => {
      if (!alert) throw notFound(id);
      if (alert.state === 'resolved') {
        throw new AlertingError(AlertingErrorCode.alertResolved, `alert ${id} is resolved already`);
      }
      if (alert.state === 'acknowledged') return alert;
      const now = new Date();
      const updated: AlertRecord = {
        ...alert,
        state: 'acknowledged',
        acknowledgedAt: now,
        acknowledgedBy: actor.userId,
        summary: note ? `${alert.summary} — acknowledged: ${note}`.slice(0, 2000) : alert.summary,
      };
      await save({
        alert: updated,
        previousState: alert.state,
        isNew: false,
        time: now,
        actor: actor.userId,
        streamSeq: null,
        sampleTime: null,
        notify: null,
        notifyPreviouslyNotified: alert.flapping ? null : 'alert.acknowledged',
        escalation: { end: 'stopped' },
      });
      return updated;
    });
    // The book may already hold changes still queued for writing: take only the acknowledgement from the row.
    const open = this.book.get(acknowledged.tenantId, acknowledged.dedupKey);
    if (open?.id === acknowledged.id) {
      this.book.set({
        ...open,
        state: open.state === 'firing' ? 'acknowledged' : open.state,
        acknowledgedAt: acknowledged.acknowledgedAt,
        acknowledgedBy: acknowledged.acknowledgedBy,
      });
    }
    this.relay.wake();
    this.deliveries.wake();
    return toAlert(acknowledged);
  }
}
