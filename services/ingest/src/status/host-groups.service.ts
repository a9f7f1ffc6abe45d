import { Inject, Injectable } from '@nestjs/common';
import type { PublicHostGroup } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { type HostGroupCounts, HostGroupsRepository } from './host-groups.repository';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const UPTIME_WINDOW_DAYS = 90;

/** Reported share of host-hours in percent, floored to 0.001 so that 100 means no hour was missed. */
export function uptimePercent(reportedHours: number, hours: number): number | null {
  if (hours <= 0) return null;
  return Math.floor((Math.min(reportedHours, hours) / hours) * 100_000) / 1000;
}

function toGroup(tag: string, counts: HostGroupCounts | undefined): PublicHostGroup {
  if (!counts) return { tag, hosts: 0, online: 0, offline: 0, uptimePercent90d: null };
  return {
    tag,
    hosts: counts.hosts,
    online: counts.online,
    offline: counts.hosts - counts.online,
    uptimePercent90d: uptimePercent(counts.reportedHours, counts.hours),
  };
}

/** Up/down counts and 90-day uptime per tag: nothing but numbers leaves, for an anonymous audience. */
@Injectable()
export class HostGroupsService {
  constructor(
    private readonly repository: HostGroupsRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  /** One group per distinct tag, in the order asked; a tag no host carries answers zeros. */
  async summarise(tenantId: TenantId, tags: string[], now = new Date()): Promise<PublicHostGroup[]> {
    const distinct = [...new Set(tags)];
    // Hours older than the 1 h rollup's retention cannot be judged, so the window never reaches past it.
    const days = Math.min(UPTIME_WINDOW_DAYS, this.config.INGEST_RETENTION_1H_DAYS);
    const counts = await this.repository.summarise(tenantId, {
      tags: distinct,
      windowStart: new Date(now.getTime() - days * DAY_MS),
      currentHour: new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS),
    });
    const byTag = new Map(counts.map((group) => [group.tag, group]));
    return distinct.map((tag) => toGroup(tag, byTag.get(tag)));
  }
}
