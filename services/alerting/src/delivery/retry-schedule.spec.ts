import { retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, maxMs: 10_000 };

  it('should double the ceiling with each attempt and cap it', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, policy, () => 1));
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('should draw the delay from the upper half of the ceiling', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(2000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(3000);
  });
});
