import { classifyResponse, parseRetryAfter } from './response-classifier';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('response classifier', () => {
  it.each([
    [202, 'delivered'],
    [200, 'delivered'],
    [400, 'rejected'],
    [413, 'rejected'],
    [415, 'rejected'],
    [422, 'rejected'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
  ])('should classify HTTP %i as %s', (status, kind) => {
    expect(classifyResponse({ status, retryAfter: null, body: '' }, NOW).kind).toBe(kind);
  });

  it('should read Retry-After as seconds or as an HTTP date, capped and never negative', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('86400', NOW)).toBe(15 * 60_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it('should keep a long answer short in the reason', () => {
    const outcome = classifyResponse({ status: 400, retryAfter: null, body: 'x'.repeat(10_000) }, NOW);
    expect(outcome.kind === 'rejected' && outcome.reason.length).toBeLessThan(400);
  });
});
