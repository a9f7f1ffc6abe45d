import type { EscalationPolicyInput, TokenActor } from '@optralis/contracts';
import { type Mock, vi } from 'vitest';

import { AlertingError } from '../shared/alerting.errors';
import type { AlertingAuditTrail } from '../shared/audit-trail';
import type { ConfigChanges } from '../shared/config-changes';
import type { EscalationPoliciesRepository, EscalationPolicyRecord } from './escalation-policies.repository';
import { EscalationPoliciesService } from './escalation-policies.service';

function strictMock<T>(methods: (keyof T)[]): Record<keyof T, Mock> {
  const mock = {} as Record<keyof T, Mock>;
  for (const method of methods) {
    mock[method] = vi.fn(() => {
      throw new Error(`unexpected call to ${String(method)}`);
    });
  }
  return mock;
}

const editor: TokenActor = { userId: 'user-1', tenantId: 'tenant-a', role: 'editor' };
const CHANNEL = '7d1c6f55-5f35-4c1e-9c55-1c2d3e4f5a6b';
const input: EscalationPolicyInput = {
  name: 'Night shift',
  description: '',
  steps: [{ afterMinutes: 0, channelIds: [CHANNEL] }],
  repeat: 0,
};
const record = (overrides: Partial<EscalationPolicyRecord> = {}): EscalationPolicyRecord => ({
  id: 'policy-1',
  tenantId: 'tenant-a',
  input,
  createdBy: 'user-1',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

async function refusal(work: Promise<unknown>): Promise<AlertingError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AlertingError);
  return error as AlertingError;
}

describe(EscalationPoliciesService.name, () => {
  function setup() {
    const repository = strictMock<EscalationPoliciesRepository>([
      'list',
      'find',
      'insert',
      'update',
      'deleteUnused',
      'rulesUsing',
      'missingChannels',
    ]);
    const audit = strictMock<AlertingAuditTrail>(['record']);
    const changes = strictMock<ConfigChanges>(['notify']);
    audit.record.mockResolvedValue(undefined);
    changes.notify.mockReturnValue(undefined);
    const sut = new EscalationPoliciesService(
      repository as unknown as EscalationPoliciesRepository,
      audit as unknown as AlertingAuditTrail,
      changes as unknown as ConfigChanges,
    );
    return { sut, repository, audit, changes };
  }

  it('should check the channels of every step once, then store, announce and audit', async () => {
    const { sut, repository, audit, changes } = setup();
    repository.missingChannels.mockResolvedValue([]);
    repository.insert.mockResolvedValue(record());
    const twoSteps = { ...input, steps: [...input.steps, { afterMinutes: 5, channelIds: [CHANNEL] }] };

    await sut.create(editor, twoSteps);

    expect(repository.missingChannels).toHaveBeenCalledWith('tenant-a', [CHANNEL]);
    expect(changes.notify).toHaveBeenCalledWith({ kind: 'escalation', tenantId: 'tenant-a' });
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'escalation_policy.created',
        target: { type: 'escalation_policy', id: 'policy-1' },
      }),
    );
  });

  it('should merge update changes over the stored policy', async () => {
    const { sut, repository } = setup();
    repository.find.mockResolvedValue(record());
    repository.missingChannels.mockResolvedValue([]);
    repository.update.mockImplementation(async (_tenant: string, _id: string, next: EscalationPolicyInput) =>
      record({ input: next }),
    );

    const updated = await sut.update(editor, 'policy-1', { repeat: 3 });

    expect(repository.update).toHaveBeenCalledWith('tenant-a', 'policy-1', { ...input, repeat: 3 });
    expect(updated.repeat).toBe(3);
  });

  it('should refuse to delete a policy a rule uses, naming the rule', async () => {
    const { sut, repository } = setup();
    repository.find.mockResolvedValue(record());
    repository.deleteUnused.mockResolvedValue(false);
    repository.rulesUsing.mockResolvedValue([{ id: 'rule-1', name: 'Disk full' }]);

    const error = await refusal(sut.remove(editor, 'policy-1'));

    expect(error.code).toBe('escalation_policy.in_use');
    expect(error.message).toBe(
      'escalation policy policy-1 is used by rules "Disk full"; give them another policy first',
    );
  });

  it('should answer not_found when the policy vanished between the read and the delete', async () => {
    const { sut, repository } = setup();
    repository.find.mockResolvedValue(record());
    repository.deleteUnused.mockResolvedValue(false);
    repository.rulesUsing.mockResolvedValue([]);

    expect((await refusal(sut.remove(editor, 'policy-1'))).code).toBe('escalation_policy.not_found');
  });

  it('should forbid an observer before reading anything', async () => {
    const { sut } = setup();
    const observer: TokenActor = { ...editor, role: 'observer' };

    expect((await refusal(sut.update(observer, 'policy-1', {}))).code).toBe('forbidden');
  });
});
