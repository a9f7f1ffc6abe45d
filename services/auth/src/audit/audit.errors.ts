export const AuditErrorCode = {
  InvalidEvent: 'audit.invalid_event',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
} as const;
export type AuditErrorCode = (typeof AuditErrorCode)[keyof typeof AuditErrorCode];

export class AuditError extends Error {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditError';
  }
}
