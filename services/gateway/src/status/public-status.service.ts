import { Inject, Injectable, Logger } from '@nestjs/common';
import { type ReplyOf, TenantSlug } from '@optralis/contracts';
import { LRUCache } from 'lru-cache';

import { Downstream } from '../downstream/downstream.service';
import { type Clock, GATEWAY_CLOCK } from '../gateway.config.provider';
import { ProblemError } from '../http/problem';
import type { PublicStatusPage } from './public-status.schema';
import { summariseStatus } from './status-summary';

/** How long one assembled page answers every visitor of a slug before the services are asked again. */
export const STATUS_CACHE_MILLISECONDS = 20_000;
const CACHED_SLUGS = 10_000;
const CALL_TIMEOUT_MILLISECONDS = 5_000;
/** While a service is failing, the last page answers this long before the next attempt. */
const RETRY_AFTER_FAILURE_MILLISECONDS = 5_000;
const INCIDENTS_SHOWN = 25;

type Assembled = { found: true; page: PublicStatusPage } | { found: false };
type ResolvedPage = ReplyOf<'rpc.auth.statusPage.resolve'>;

/**
 * Assembles a tenant's public page from auth (settings), ingest (host groups) and alerting (incidents), and
 * keeps it per slug for a few seconds: concurrent visitors share one assembly, unknown and disabled slugs
 * are remembered as such, and a failed refresh keeps showing the last page (its `generatedAt` says when)
 * for a few seconds before the next attempt.
 */
@Injectable()
export class PublicStatusService {
  private readonly logger = new Logger(PublicStatusService.name);
  private readonly cache: LRUCache<string, Assembled>;

  constructor(
    private readonly downstream: Downstream,
    @Inject(GATEWAY_CLOCK) private readonly clock: Clock,
  ) {
    this.cache = new LRUCache<string, Assembled>({
      max: CACHED_SLUGS,
      ttl: STATUS_CACHE_MILLISECONDS,
      perf: { now: () => this.clock.now().getTime() },
      ttlResolution: 0,
      noDeleteOnFetchRejection: true,
      noDeleteOnStaleGet: true,
      fetchMethod: (slug) => this.assemble(slug),
    });
  }

  /** The page, or undefined for a slug without an enabled page (malformed slugs never reach a service). */
  async page(slug: string): Promise<PublicStatusPage | undefined> {
    if (!TenantSlug.safeParse(slug).success) return undefined;
    const assembled = await this.cache.fetch(slug).catch((error: unknown) => {
      const last = this.cache.get(slug, { allowStale: true });
      if (!last) throw error;
      this.logger.warn(
        { slug, error: (error as Error).message },
        'status page refresh failed: last one shown',
      );
      this.cache.set(slug, last, { ttl: RETRY_AFTER_FAILURE_MILLISECONDS });
      return last;
    });
    return assembled?.found ? assembled.page : undefined;
  }

  /** After the tenant changed its settings, so this instance shows them at once. */
  forget(slug: string): void {
    this.cache.delete(slug);
  }

  private async assemble(slug: string): Promise<Assembled> {
    const page = await this.resolve(slug);
    if (!page) return { found: false };
    const tags = page.config.groups.map((group) => group.tag);
    if (tags.length === 0) {
      return {
        found: true,
        page: summariseStatus({ page, hostGroups: [], incidents: null, now: this.clock.now() }),
      };
    }
    const [hostGroups, incidents] = await Promise.all([
      this.downstream.call(
        'rpc.ingest.publicStatus.hostGroups',
        { tenantId: page.tenantId, tags },
        { timeoutMs: CALL_TIMEOUT_MILLISECONDS },
      ),
      page.config.showIncidents ? this.incidents(page.tenantId, tags) : null,
    ]);
    return {
      found: true,
      page: summariseStatus({ page, hostGroups: hostGroups.groups, incidents, now: this.clock.now() }),
    };
  }

  private async resolve(slug: string): Promise<ResolvedPage | undefined> {
    try {
      return await this.downstream.call(
        'rpc.auth.statusPage.resolve',
        { slug },
        { timeoutMs: CALL_TIMEOUT_MILLISECONDS },
      );
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 404) return undefined;
      throw error;
    }
  }

  /** Without alerting the page still shows its groups, and says incidents are unavailable. */
  private async incidents(tenantId: string, tags: string[]) {
    try {
      return await this.downstream.call(
        'rpc.alerting.publicStatus.incidents',
        { tenantId, tags, limit: INCIDENTS_SHOWN },
        { timeoutMs: CALL_TIMEOUT_MILLISECONDS },
      );
    } catch (error) {
      this.logger.warn({ tenantId, error: (error as Error).message }, 'status page shown without incidents');
      return null;
    }
  }
}
