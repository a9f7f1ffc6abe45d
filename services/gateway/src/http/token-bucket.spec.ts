import { TokenBuckets } from './token-bucket';

describe(TokenBuckets.name, () => {
  it('should let a burst of capacity through, then ask to wait until a token is back', () => {
    const sut = new TokenBuckets(3, 0.5);

    expect([0, 0, 0].map(() => sut.take('ip:1', 1000))).toEqual([0, 0, 0]);
    expect(sut.take('ip:1', 1000)).toBe(2);
    expect(sut.take('ip:1', 3000)).toBe(0);
  });

  it('should keep one bucket per key', () => {
    const sut = new TokenBuckets(1, 1);

    expect(sut.take('token:a', 0)).toBe(0);
    expect(sut.take('token:b', 0)).toBe(0);
    expect(sut.take('token:a', 0)).toBe(1);
  });
});
