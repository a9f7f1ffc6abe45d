export const KeysErrorCode = {
  TokenExpired: 'token_expired',
  TokenInvalid: 'token_invalid',
} as const;
