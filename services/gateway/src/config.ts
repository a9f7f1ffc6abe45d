import { BooleanFlag, serviceEnv } from '@optralis/config';
import { MAX_EXPORT_SERIES } from '@optralis/contracts';
import { z } from 'zod';

const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const WebUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const Origins = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .refine((origins) => origins.every((origin) => origin === '*' || URL.canParse(origin)), {
    message: 'must be a comma-separated list of origins such as https://console.example.com, or *',
  });

export const GatewayEnv = serviceEnv('gateway', 8080, {
  /** The URL clients reach the gateway at: OIDC redirect URIs, `Secure` cookies and HSTS when https. */
  GATEWAY_PUBLIC_URL: WebUrl.default('http://localhost:8080'),
  /** Where a finished SSO login sends the browser; the public URL's root when unset. */
  GATEWAY_CONSOLE_URL: WebUrl.optional(),
  /** Browser origins allowed to call the API with credentials; empty turns CORS off, `*` allows any without. */
  GATEWAY_CORS_ORIGINS: Origins,
  /** Trust X-Forwarded-* from the proxy in front (client IP for rate limits, https for cookies and HSTS). */
  GATEWAY_TRUST_PROXY: BooleanFlag.default(false),
  /** Largest request body; larger ones answer 413. */
  GATEWAY_BODY_LIMIT_BYTES: whole(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Must match auth's AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE. */
  GATEWAY_JWT_ISSUER: z.string().min(1).default('optralis-auth'),
  GATEWAY_JWT_AUDIENCE: z.string().min(1).default('optralis'),
  /** How long the signing keys from rpc.auth.jwks are used before asking again (an unknown kid asks at once). */
  GATEWAY_JWKS_CACHE_SECONDS: whole(1, 86_400).default(300),
  /** How long a verified API token is trusted without asking auth again (revocations are pushed). */
  GATEWAY_API_TOKEN_CACHE_SECONDS: whole(0, 3600).default(30),
  /** Requests per minute one client IP may send to the sign-in routes (login, MFA, refresh, SSO). */
  GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: whole(1, 1_000_000).default(30),
  /** Requests per second one access token or API token may send (burst: twice as many). */
  GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND: whole(1, 1_000_000).default(50),
  /**
   * How long a cacheable read (host list and details, metric series, alerts) is shared by callers of one
   * tenant and role; 0 turns sharing off. A write through this gateway forgets its tenant's reads at once.
   */
  GATEWAY_READ_CACHE_MS: whole(0, 60_000).default(1000),
  /** Seconds between comments on an idle live-events stream (proxies close silent connections). */
  GATEWAY_EVENTS_HEARTBEAT_SECONDS: whole(1, 300).default(15),
  /** Live-events streams one gateway process serves at once; more are refused with 503. */
  GATEWAY_EVENTS_MAX_STREAMS: whole(1, 100_000).default(1000),
  /** Most series `GET /api/v1/export/prometheus` answers with; a tenant holding more gets 422. */
  GATEWAY_EXPORT_MAX_SERIES: whole(1, MAX_EXPORT_SERIES).default(100_000),
});
export type GatewayConfig = z.output<typeof GatewayEnv>;
