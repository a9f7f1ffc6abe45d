import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG, servedOverHttps } from '../gateway.config.provider';

export const REFRESH_COOKIE = 'optralis_refresh';
/** Only the refresh and logout routes ever need it, so the browser sends it nowhere else. */
const COOKIE_PATH = '/api/v1/auth';
/** auth's default refresh-token lifetime (AUTH_REFRESH_TOKEN_TTL_DAYS); an older cookie just fails to refresh. */
const MAX_AGE_SECONDS = 30 * 86_400;

function attributes(config: GatewayConfig, request: FastifyRequest, maxAge: number): string {
  const secure = servedOverHttps(config, request.protocol) ? '; Secure' : '';
  return `Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/** The refresh token as a cookie: httpOnly (no script reads it), SameSite=Lax, Secure behind https. */
@Injectable()
export class RefreshCookie {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  set(request: FastifyRequest, reply: FastifyReply, refreshToken: string): void {
    const value = encodeURIComponent(refreshToken);
    reply.header(
      'Set-Cookie',
      `${REFRESH_COOKIE}=${value}; ${attributes(this.config, request, MAX_AGE_SECONDS)}`,
    );
  }

  clear(request: FastifyRequest, reply: FastifyReply): void {
    reply.header('Set-Cookie', `${REFRESH_COOKIE}=; ${attributes(this.config, request, 0)}`);
  }

  read(request: FastifyRequest): string | undefined {
    return refreshCookieOf(request);
  }
}

function refreshCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== REFRESH_COOKIE) continue;
    try {
      return decodeURIComponent(pair.slice(separator + 1).trim()) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const REFRESH_COOKIE_HEADER = {
  'Set-Cookie': {
    description: `${REFRESH_COOKIE}: the refresh token, httpOnly, SameSite=Lax, Path=${COOKIE_PATH}, Secure behind https`,
    schema: { type: 'string' },
  },
};
