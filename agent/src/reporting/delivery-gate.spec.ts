import { DeliveryGate } from './delivery-gate';
import { ManualTimer } from './testing/manual-timer';

describe(DeliveryGate.name, () => {
  let timer: ManualTimer;
  let sut: DeliveryGate;

  beforeEach(() => {
    timer = new ManualTimer();
    sut = new DeliveryGate({
      timer,
      failureBackoff: { initialMs: 1000, maxMs: 8000, jitter: 0 },
      unauthorizedBackoff: { initialMs: 30_000, maxMs: 600_000, jitter: 0 },
    });
  });

  it('should back off exponentially on failures and open again on a delivery', () => {
    expect(sut.record({ kind: 'retry', reason: 'ECONNREFUSED' })).toBe(1000);
    timer.advance(1000);
    expect(sut.isOpen()).toBe(true);
    expect(sut.record({ kind: 'retry', reason: 'ECONNREFUSED' })).toBe(2000);
    sut.record({ kind: 'delivered', accepted: 1, duplicates: 0 });
    expect(sut.isOpen()).toBe(true);
    expect(sut.record({ kind: 'retry', reason: 'ECONNREFUSED' })).toBe(1000);
  });

  it('should not grow the backoff for requests that were in flight when it closed', () => {
    sut.record({ kind: 'retry', reason: 'HTTP 500' });
    sut.record({ kind: 'retry', reason: 'HTTP 500' });
    sut.record({ kind: 'retry', reason: 'HTTP 500' });
    expect(sut.waitMs()).toBe(1000);
    timer.advance(1000);
    expect(sut.record({ kind: 'retry', reason: 'HTTP 500' })).toBe(2000);
  });

  it('should wait exactly what Retry-After says', () => {
    expect(sut.record({ kind: 'retry', reason: 'HTTP 429', status: 429, retryAfterMs: 7000 })).toBe(7000);
    timer.advance(6999);
    expect(sut.isOpen()).toBe(false);
    timer.advance(1);
    expect(sut.isOpen()).toBe(true);
  });

  it('should keep the wait of a Retry-After when a request already in flight is delivered', () => {
    sut.record({ kind: 'retry', reason: 'HTTP 503', status: 503, retryAfterMs: 5000 });
    sut.record({ kind: 'delivered', accepted: 1, duplicates: 0 });
    expect(sut.waitMs()).toBe(5000);
  });

  it('should hold back only the replay when ingest rate-limits it, and pace it without Retry-After', () => {
    const throttled = { kind: 'retry', reason: 'HTTP 429', status: 429 } as const;
    expect(sut.record({ ...throttled, retryAfterMs: 3000 }, 'replay')).toBe(3000);
    expect(sut.isOpen('live')).toBe(true);
    expect(sut.isOpen('replay')).toBe(false);
    timer.advance(3000);
    expect(sut.record(throttled, 'replay')).toBe(1000);
    timer.advance(1000);
    expect(sut.record(throttled, 'replay')).toBe(2000);
    expect(sut.isOpen('live')).toBe(true);
    timer.advance(2000);
    sut.record({ kind: 'delivered', accepted: 1, duplicates: 0 }, 'replay');
    expect(sut.record(throttled, 'replay')).toBe(1000);
  });

  it('should hold back both paths when live sends are rate limited or ingest is away', () => {
    sut.record({ kind: 'retry', reason: 'HTTP 429', status: 429, retryAfterMs: 2000 }, 'live');
    expect(sut.isOpen('replay')).toBe(false);
    timer.advance(2000);
    sut.record({ kind: 'retry', reason: 'ECONNREFUSED' }, 'replay');
    expect(sut.isOpen('live')).toBe(false);
  });

  it('should back off long when the token is refused', () => {
    expect(sut.record({ kind: 'unauthorized', reason: 'HTTP 401', status: 401 })).toBe(30_000);
    timer.advance(30_000);
    expect(sut.record({ kind: 'unauthorized', reason: 'HTTP 401', status: 401 })).toBe(60_000);
  });
});
