import { asTenantId } from '@optralis/db';
import { strictMock } from '@optralis/testing/vitest';

import type { IncidentRecord, PublicIncidentsRepository } from './public-incidents.repository';
import { PublicIncidentsService } from './public-incidents.service';

const TENANT = asTenantId('tenant-a');

function incident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    ruleName: 'CPU high',
    severity: 'critical',
    firing: true,
    startedAt: new Date('2030-01-15T10:00:00.000Z'),
    tags: ['web'],
    ...overrides,
  };
}

describe(PublicIncidentsService.name, () => {
  function setup() {
    const repository = strictMock<PublicIncidentsRepository>(['open']);
    return { sut: new PublicIncidentsService(repository), repository };
  }

  it('should ask for one more than the limit and say truncated when it came back', async () => {
    const { sut, repository } = setup();
    repository.open.mockResolvedValue([incident(), incident({ ruleName: 'B' }), incident({ ruleName: 'C' })]);

    const reply = await sut.open(TENANT, { tags: ['web', 'web', 'db'], limit: 2 });

    expect(repository.open).toHaveBeenCalledWith(TENANT, { tags: ['web', 'db'], limit: 3 });
    expect(reply.incidents.map((item) => item.ruleName)).toEqual(['CPU high', 'B']);
    expect(reply.truncated).toBe(true);
  });

  it('should call an incident acknowledged when none of its alerts is firing', async () => {
    const { sut, repository } = setup();
    repository.open.mockResolvedValue([incident({ firing: false, severity: 'warning' })]);

    expect(await sut.open(TENANT, { tags: ['web'], limit: 10 })).toEqual({
      incidents: [
        {
          ruleName: 'CPU high',
          severity: 'warning',
          state: 'acknowledged',
          startedAt: '2030-01-15T10:00:00.000Z',
          tags: ['web'],
        },
      ],
      truncated: false,
    });
  });
});
