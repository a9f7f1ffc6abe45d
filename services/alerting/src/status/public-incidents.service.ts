import { Injectable } from '@nestjs/common';
import type { PublicIncident } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import { PublicIncidentsRepository } from './public-incidents.repository';

/** Open incidents per rule for an anonymous audience: rule name, severity, state, start, matching tags. */
@Injectable()
export class PublicIncidentsService {
  constructor(private readonly incidents: PublicIncidentsRepository) {}

  async open(
    tenantId: TenantId,
    input: { tags: string[]; limit: number },
  ): Promise<{ incidents: PublicIncident[]; truncated: boolean }> {
    const tags = [...new Set(input.tags)];
    const found = await this.incidents.open(tenantId, { tags, limit: input.limit + 1 });
    return {
      incidents: found.slice(0, input.limit).map((incident) => ({
        ruleName: incident.ruleName,
        severity: incident.severity,
        state: incident.firing ? 'firing' : 'acknowledged',
        startedAt: incident.startedAt.toISOString(),
        tags: incident.tags,
      })),
      truncated: found.length > input.limit,
    };
  }
}
