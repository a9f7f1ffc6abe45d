/** Codes of SSO failures; every one is a refusal of the login, none reveals more than its reason. */
export const SsoErrorCode = {
  /** The OIDC state or SAML request id is unknown, was used already, expired or belongs to another provider. */
  StateInvalid: 'sso.state_invalid',
  /** The identity provider answered with an error instead of a login. */
  IdpError: 'sso.idp_error',
  /** The token endpoint refused the authorization code. */
  TokenRejected: 'sso.token_rejected',
  /** The id_token or SAML response failed validation: signature, issuer, audience, nonce, time. */
  AssertionInvalid: 'sso.assertion_invalid',
  EmailMissing: 'sso.email_missing',
  EmailUnverified: 'sso.email_unverified',
  DomainNotAllowed: 'sso.domain_not_allowed',
  /** No role claim value is mapped and the provider has no default role. */
  RoleUnmapped: 'sso.role_unmapped',
  UserDisabled: 'sso.user_disabled',
  /** Discovery or the token endpoint could not be reached. */
  ProviderUnavailable: 'sso.provider_unavailable',
} as const;
export type SsoErrorCode = (typeof SsoErrorCode)[keyof typeof SsoErrorCode];
