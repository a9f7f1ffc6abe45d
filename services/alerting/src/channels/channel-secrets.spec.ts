import type { ChannelInput } from '@optralis/contracts';

import { maskedConfig, maskSecret, mergeChanges, splitSecrets } from './channel-secrets';

const current: ChannelInput = {
  name: 'hook',
  type: 'webhook',
  enabled: true,
  rateLimitPerMinute: 60,
  sendResolved: true,
  config: { url: 'https://example.com/hook', secret: 'super-secret-value-1234' },
};

describe('channel secrets', () => {
  it('should show four bullets and the last four characters, or bullets only for short values', () => {
    expect(maskSecret('super-secret-value-1234')).toBe('••••1234');
    expect(maskSecret('short')).toBe('••••');
  });

  it('should split the secret fields of a type from its open config', () => {
    expect(splitSecrets('webhook', current.config)).toEqual({
      open: { url: 'https://example.com/hook' },
      secrets: { secret: 'super-secret-value-1234' },
    });
    expect(splitSecrets('email', { to: ['a@b.co'] })).toEqual({ open: { to: ['a@b.co'] }, secrets: null });
    expect(maskedConfig('slack', { webhookUrl: 'https://hooks.slack.com/services/AAAA' })).toEqual({
      webhookUrl: '••••AAAA',
    });
  });

  it('should keep a secret when a change leaves it out or sends its mask back', () => {
    expect(mergeChanges(current, { name: 'renamed' })).toMatchObject({
      name: 'renamed',
      config: current.config,
    });
    expect(
      mergeChanges(current, { config: { url: 'https://example.com/2', secret: '••••1234' } }),
    ).toMatchObject({
      config: { url: 'https://example.com/2', secret: 'super-secret-value-1234' },
    });
    expect(mergeChanges(current, { config: { secret: 'another-secret-value' } })).toMatchObject({
      config: { url: 'https://example.com/hook', secret: 'another-secret-value' },
    });
  });

  it('should pass a non-object config through for validation to refuse', () => {
    expect(mergeChanges(current, { config: 'nope' })).toMatchObject({ config: 'nope' });
  });
});
