import type { SsoType } from './sso-providers.repository';

/** The gateway's public SSO paths (CONTRACT.md) for one provider. */
export function ssoUrls(publicUrl: string, type: SsoType, providerId: string) {
  const base = `${publicUrl.replace(/\/+$/, '')}/api/v1/auth/${type}/${providerId}`;
  return {
    /** OIDC redirect URI or SAML assertion consumer service. */
    callbackUrl: type === 'oidc' ? `${base}/callback` : `${base}/acs`,
    /** The SAML service provider's entity id: its metadata URL, as most IdPs expect. */
    entityId: `${base}/metadata`,
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Plain http is allowed only on loopback and only when AUTH_SSO_ALLOW_INSECURE_LOOPBACK is set. */
export function insecureLoopbackAllowed(url: string, allowInsecureLoopback: boolean): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return true;
  return allowInsecureLoopback && LOOPBACK.has(parsed.hostname);
}
