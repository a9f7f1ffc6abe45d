import { NO_CHECKS_REASON, type ReadinessCheck, ReadinessRegistry } from './readiness.registry';

function check(name: string, run: () => Promise<void>): ReadinessCheck {
  return { name, check: run };
}

const failing = (reason: string) => async () => {
  throw new Error(reason);
};
const passing = async () => undefined;
const hanging = () => new Promise<void>(() => undefined);

describe(ReadinessRegistry.name, () => {
  let sut: ReadinessRegistry;

  beforeEach(() => {
    sut = new ReadinessRegistry({});
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should not be ready when no check is registered', async () => {
    await expect(sut.evaluate()).resolves.toEqual({ ready: false, reason: NO_CHECKS_REASON, checks: {} });
  });

  it('should be ready with every check listed when all checks pass', async () => {
    sut.register(check('database', passing), check('nats', passing));

    const report = await sut.evaluate();

    expect(report).toEqual({
      ready: true,
      checks: {
        database: { ok: true, latencyMs: expect.any(Number) },
        nats: { ok: true, latencyMs: expect.any(Number) },
      },
    });
  });

  it('should join the reasons of every failed check when some checks fail', async () => {
    sut.register(
      check('database', failing('connection refused')),
      check('nats', passing),
      check('disk', failing('read-only')),
    );

    const report = await sut.evaluate();

    expect(report.ready).toBe(false);
    expect(report.reason).toBe('database: connection refused; disk: read-only');
    expect(report.checks.nats.ok).toBe(true);
  });

  it('should fail a check after 2000 ms by default when it never settles', async () => {
    vi.useFakeTimers();
    sut.register(check('nats', hanging), check('database', passing));

    const evaluation = sut.evaluate();
    await vi.advanceTimersByTimeAsync(2000);
    const report = await evaluation;

    expect(report.reason).toBe('nats: timed out after 2000 ms');
    expect(report.checks.database.ok).toBe(true);
  });

  it('should run checks concurrently when several of them hang', async () => {
    vi.useFakeTimers();
    sut.register(check('nats', hanging), check('database', hanging));

    const evaluation = sut.evaluate();
    await vi.advanceTimersByTimeAsync(2000);
    const report = await evaluation;

    expect(report.reason).toBe('nats: timed out after 2000 ms; database: timed out after 2000 ms');
  });

  it('should report a failure when a check throws synchronously', async () => {
    sut.register({
      name: 'config',
      check: () => {
        throw new Error('missing key');
      },
    });

    await expect(sut.evaluate()).resolves.toMatchObject({ ready: false, reason: 'config: missing key' });
  });

  it('should refuse a check when its name is already registered', () => {
    sut.register(check('database', passing));

    expect(() => sut.register(check('database', passing))).toThrow(
      'readiness check "database" is already registered',
    );
  });
});
