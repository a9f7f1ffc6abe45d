/**
 * Where a live-events client is in the two streams it follows. Each event's SSE id is the position after
 * it, so `Last-Event-ID` resumes both streams exactly: `<ALERTS sequence>.<EVENTS sequence>`.
 */
export interface LivePosition {
  alerts: number;
  hosts: number;
}

const POSITION = /^(\d{1,15})\.(\d{1,15})$/;

export function formatPosition(position: LivePosition): string {
  return `${position.alerts}.${position.hosts}`;
}

/** undefined for an absent or malformed id: the client then starts with new events only. */
export function parsePosition(lastEventId: string | undefined): LivePosition | undefined {
  const match = lastEventId === undefined ? null : POSITION.exec(lastEventId.trim());
  if (!match) return undefined;
  const alerts = Number(match[1]);
  const hosts = Number(match[2]);
  if (!Number.isSafeInteger(alerts) || !Number.isSafeInteger(hosts)) return undefined;
  return { alerts, hosts };
}

/** One server-sent event; data is JSON on one line, so no field can break the framing. */
export function sseFrame(event: { id: string; type: string; data: unknown }): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
}
