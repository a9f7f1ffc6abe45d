import type { Logger } from '@nestjs/common';

import { PeriodicTask } from '@optralis/service-kit';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe(PeriodicTask.name, () => {
  const logger = { warn: vi.fn() } as unknown as Logger;

  it('should run once more after the current run when triggered several times meanwhile', async () => {
    const gate = deferred();
    const started = deferred();
    let runs = 0;
    const task = new PeriodicTask(
      't',
      async () => {
        runs++;
        started.resolve();
        if (runs === 1) await gate.promise;
        return runs;
      },
      logger,
    );

    const first = task.trigger();
    await started.promise;
    const second = task.trigger();
    const third = task.trigger();
    gate.resolve();

    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    expect(runs).toBe(2);
  });

  it('should log a failed triggered run and reject a failed run asked for directly', async () => {
    const task = new PeriodicTask(
      't',
      async () => {
        throw new Error('boom');
      },
      logger,
    );

    await expect(task.trigger()).resolves.toBeUndefined();
    await expect(task.runNow()).rejects.toThrow('boom');
    expect(logger.warn).toHaveBeenCalledWith({ task: 't', reason: 'boom' }, 'periodic task failed');
  });

  it('should wait for a run in progress and run no more when stopped', async () => {
    const gate = deferred();
    let runs = 0;
    const task = new PeriodicTask(
      't',
      async () => {
        runs++;
        await gate.promise;
      },
      logger,
    );
    void task.trigger();

    const stopped = task.stop();
    gate.resolve();
    await stopped;
    await task.trigger();

    expect(runs).toBe(1);
  });
});
