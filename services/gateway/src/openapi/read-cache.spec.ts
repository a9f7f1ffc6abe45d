import { ReadCache } from './read-cache';

describe('ReadCache', () => {
  let now = 0;
  const clock = () => now;
  const answer = (json: string) => async () => ({ json });

  beforeEach(() => {
    now = 1_000;
  });

  it('asks once per time to live and hands the same answer to callers who arrive meanwhile', async () => {
    const cache = new ReadCache(1000, 100, clock);
    const produce = vi.fn(answer('[1]'));
    const [first, second] = await Promise.all([
      cache.answer('t1', 'GET /hosts', produce),
      cache.answer('t1', 'GET /hosts', produce),
    ]);
    expect(first).toBe(second);
    expect(produce).toHaveBeenCalledTimes(1);
    now += 999;
    await cache.answer('t1', 'GET /hosts', produce);
    expect(produce).toHaveBeenCalledTimes(1);
    now += 1;
    await cache.answer('t1', 'GET /hosts', produce);
    expect(produce).toHaveBeenCalledTimes(2);
  });

  it('keeps tenants apart', async () => {
    const cache = new ReadCache(1000, 100, clock);
    await cache.answer('t1', 'GET /hosts', answer('"one"'));
    const other = await cache.answer('t2', 'GET /hosts', answer('"two"'));
    expect(other.json).toBe('"two"');
  });

  it('forgets a tenant’s answers after its write, and only that tenant’s', async () => {
    const cache = new ReadCache(1000, 100, clock);
    await cache.answer('t1', 'GET /hosts', answer('"old"'));
    await cache.answer('t2', 'GET /hosts', answer('"kept"'));
    cache.forgetTenant('t1');
    expect((await cache.answer('t1', 'GET /hosts', answer('"new"'))).json).toBe('"new"');
    expect((await cache.answer('t2', 'GET /hosts', answer('"other"'))).json).toBe('"kept"');
    expect(cache.entryCount).toBe(2);
  });

  it('does not keep failures', async () => {
    const cache = new ReadCache(1000, 100, clock);
    await expect(
      cache.answer('t1', 'GET /hosts', () => Promise.reject(new Error('ingest did not answer'))),
    ).rejects.toThrow('ingest did not answer');
    expect(cache.entryCount).toBe(0);
    expect((await cache.answer('t1', 'GET /hosts', answer('"fresh"'))).json).toBe('"fresh"');
  });

  it('holds at most maxEntries answers, dropping the oldest', async () => {
    const cache = new ReadCache(60_000, 3, clock);
    for (const key of ['a', 'b', 'c', 'd']) await cache.answer('t1', key, answer(`"${key}"`));
    expect(cache.entryCount).toBe(3);
    expect((await cache.answer('t1', 'a', answer('"again"'))).json).toBe('"again"');
    expect((await cache.answer('t1', 'd', answer('"never"'))).json).toBe('"d"');
  });
});
