import { ChannelRateLimiter } from './rate-limiter';

describe(ChannelRateLimiter.name, () => {
  it('should grant a burst up to the limit, then say how long until the next token', () => {
    let now = 0;
    const sut = new ChannelRateLimiter(() => now);

    const granted = Array.from({ length: 3 }, () => sut.take('channel', 3));
    const refused = sut.take('channel', 3);
    now += 20_000;
    const later = sut.take('channel', 3);

    expect(granted).toEqual([0, 0, 0]);
    expect(refused).toBe(20_000);
    expect(later).toBe(0);
    expect(sut.take('other', 3)).toBe(0);
  });

  it('should not take a token when it refuses', () => {
    let now = 0;
    const sut = new ChannelRateLimiter(() => now);
    sut.take('channel', 60);
    for (let index = 0; index < 59; index++) sut.take('channel', 60);

    expect(sut.take('channel', 60)).toBe(1000);
    now += 500;
    expect(sut.take('channel', 60)).toBe(500);
    now += 500;
    expect(sut.take('channel', 60)).toBe(0);
  });
});
