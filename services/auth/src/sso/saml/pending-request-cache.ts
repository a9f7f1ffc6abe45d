import type { CacheItem, CacheProvider } from '@node-saml/node-saml';

import type { PendingLoginsRepository } from '../providers/pending-logins.repository';

export interface PendingSaml {
  instant: string;
  relayState?: string;
}

/**
 * node-saml's request-id store, backed by Postgres so any instance can take the ACS post. node-saml
 * looks (`getAsync`) then removes (`removeAsync`); only the caller whose delete returned the row may
 * log in, which makes concurrent replays of one response lose.
 */
export class PendingRequestCache implements CacheProvider {
  consumed?: PendingSaml;

  constructor(
    private readonly pending: PendingLoginsRepository,
    private readonly providerId: string,
    private readonly options: { ttlMs: number; relayState?: string },
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const data: PendingSaml = { instant: value, relayState: this.options.relayState };
    await this.pending.save(this.providerId, {
      key: samlKey(key),
      data: JSON.stringify(data),
      ttlMs: this.options.ttlMs,
    });
    return { value, createdAt: Date.now() };
  }

  async getAsync(key: string): Promise<string | null> {
    const found = await this.pending.peek(this.providerId, samlKey(key));
    return found && !found.expired ? (JSON.parse(found.data) as PendingSaml).instant : null;
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (!key) return null;
    const found = await this.pending.consume(this.providerId, samlKey(key));
    if (!found || found.expired) return null;
    this.consumed = JSON.parse(found.data) as PendingSaml;
    return this.consumed.instant;
  }
}

function samlKey(requestId: string): string {
  return `saml:${requestId}`;
}
