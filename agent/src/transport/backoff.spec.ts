import { Backoff, backoffDelay } from './backoff';

describe(Backoff.name, () => {
  it('should double from the initial delay up to the cap', () => {
    const sut = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => sut.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    sut.reset();
    expect(sut.next()).toBe(100);
  });

  it('should keep the jittered delay between half and all of the step', () => {
    const policy = { initialMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(3, policy, () => 0)).toBe(4000);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(8000);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const delay = backoffDelay(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(Math.min(60_000, 1000 * 2 ** attempt) / 2);
      expect(delay).toBeLessThanOrEqual(60_000);
    }
  });
});
