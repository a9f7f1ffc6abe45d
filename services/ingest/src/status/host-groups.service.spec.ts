import { asTenantId } from '@optralis/db';
import { strictMock } from '@optralis/testing/vitest';

import type { IngestConfig } from '../config';
import type { HostGroupsRepository } from './host-groups.repository';
import { HostGroupsService, uptimePercent } from './host-groups.service';

const TENANT = asTenantId('tenant-a');
const NOW = new Date('2030-01-15T10:30:00.000Z');

function setup(retentionDays = 400) {
  const repository = strictMock<HostGroupsRepository>(['summarise']);
  const config = { INGEST_RETENTION_1H_DAYS: retentionDays } as IngestConfig;
  return { sut: new HostGroupsService(repository, config), repository };
}

describe(HostGroupsService.name, () => {
  it('should ask once per distinct tag over 90 days up to the current hour', async () => {
    const { sut, repository } = setup();
    repository.summarise.mockResolvedValue([
      { tag: 'web', hosts: 3, online: 2, reportedHours: 30, hours: 40 },
    ]);

    const groups = await sut.summarise(TENANT, ['web', 'db', 'web'], NOW);

    expect(repository.summarise).toHaveBeenCalledWith(TENANT, {
      tags: ['web', 'db'],
      windowStart: new Date('2029-10-17T10:30:00.000Z'),
      currentHour: new Date('2030-01-15T10:00:00.000Z'),
    });
    expect(groups).toEqual([
      { tag: 'web', hosts: 3, online: 2, offline: 1, uptimePercent90d: 75 },
      { tag: 'db', hosts: 0, online: 0, offline: 0, uptimePercent90d: null },
    ]);
  });

  it('should not reach past the 1 h rollup retention when it is shorter than 90 days', async () => {
    const { sut, repository } = setup(30);
    repository.summarise.mockResolvedValue([]);

    await sut.summarise(TENANT, ['web'], NOW);

    expect(repository.summarise).toHaveBeenCalledWith(
      TENANT,
      expect.objectContaining({ windowStart: new Date('2029-12-16T10:30:00.000Z') }),
    );
  });
});

describe(uptimePercent.name, () => {
  it('should floor so that only a full record reads 100', () => {
    expect(uptimePercent(2160, 2161)).toBe(99.953);
    expect(uptimePercent(99_999, 100_000)).toBe(99.999);
    expect(uptimePercent(5, 5)).toBe(100);
  });

  it('should answer null without hours and never more than 100', () => {
    expect(uptimePercent(0, 0)).toBeNull();
    expect(uptimePercent(7, 5)).toBe(100);
  });
});
