/**
 * Error codes `rpc.auth.*` answers beyond the generic ones (`invalid_request`, `forbidden`, `not_found`,
 * `conflict`, `unauthorized`, `rate_limited`), as services/auth documents them; edges map each to a status.
 */
export const AUTH_ERROR_CODES = {
  invalidCredentials: 'invalid_credentials',
  weakPassword: 'weak_password',
  invitationInvalid: 'invitation_invalid',
  tenantSelectionRequired: 'tenant_selection_required',
  tokenInvalid: 'token_invalid',
  tokenExpired: 'token_expired',
  mfaInvalidCode: 'mfa_invalid_code',
  mfaNotEnrolled: 'mfa_not_enrolled',
  mfaAlreadyEnabled: 'mfa_already_enabled',
  auditInvalidEvent: 'audit.invalid_event',
  ssoStateInvalid: 'sso.state_invalid',
  ssoIdpError: 'sso.idp_error',
  ssoTokenRejected: 'sso.token_rejected',
  ssoAssertionInvalid: 'sso.assertion_invalid',
  ssoEmailMissing: 'sso.email_missing',
  ssoEmailUnverified: 'sso.email_unverified',
  ssoDomainNotAllowed: 'sso.domain_not_allowed',
  ssoRoleUnmapped: 'sso.role_unmapped',
  ssoUserDisabled: 'sso.user_disabled',
  ssoProviderUnavailable: 'sso.provider_unavailable',
} as const;
