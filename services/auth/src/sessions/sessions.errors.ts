export const SessionsErrorCode = {
  TenantSelectionRequired: 'tenant_selection_required',
  TokenInvalid: 'token_invalid',
} as const;
