import { commandTtl, TtlCache } from './ttl-cache';

describe(TtlCache.name, () => {
  it('should load again once the time to live has passed, or when the clock went backwards', async () => {
    let now = 100_000;
    let loads = 0;
    const sut = new TtlCache(
      () => now,
      () => 1_000,
    );
    const get = () => sut.get(async () => ++loads);

    expect(await get()).toBe(1);
    now += 999;
    expect(await get()).toBe(1);
    now += 1;
    expect(await get()).toBe(2);
    now -= 10;
    expect(await get()).toBe(3);
  });

  it('should keep a missing command missing for ten minutes and an answer for its own period', async () => {
    const ttl = commandTtl(30_000);

    expect(ttl(undefined)).toBe(600_000);
    expect(ttl([])).toBe(30_000);
  });
});
