export const MfaErrorCode = {
  InvalidCode: 'mfa_invalid_code',
  NotEnrolled: 'mfa_not_enrolled',
  AlreadyEnabled: 'mfa_already_enabled',
  TokenInvalid: 'token_invalid',
  RateLimited: 'rate_limited',
} as const;
