import { Logger } from '@nestjs/common';

import type { AlertTransitionWrite } from './alert.types';
import { AlertWriteQueue } from './alert-write-queue';

function change(sequence: number): AlertTransitionWrite {
  return { streamSeq: sequence } as AlertTransitionWrite;
}

function recorder(options: { failures?: number; gate?: Promise<void> } = {}) {
  const batches: number[][] = [];
  const committed: number[][] = [];
  let failures = options.failures ?? 0;
  const queue = new AlertWriteQueue(
    {
      write: async (changes) => {
        await options.gate;
        if (failures > 0) {
          failures -= 1;
          throw new Error('connection refused');
        }
        batches.push(changes.map((item) => item.streamSeq!));
        return changes.filter((item) => item.streamSeq === 13);
      },
      committed: (changes, refused) => committed.push([changes.length, refused.length]),
      logger: new Logger('test'),
    },
    10,
  );
  return { queue, batches, committed };
}

describe(AlertWriteQueue.name, () => {
  it('should commit in enqueue order and batch what piled up while a write was running', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { queue, batches } = recorder({ gate });
    for (let sequence = 1; sequence <= 5; sequence += 1) void queue.enqueue(change(sequence));
    open();
    await queue.flush();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(queue.size).toBe(0);
  });

  it('should retry the same batch when the database fails and report refused changes', async () => {
    const { queue, batches, committed } = recorder({ failures: 2 });
    void queue.enqueue(change(12));
    void queue.enqueue(change(13));
    await queue.flush();
    expect(batches.flat()).toEqual([12, 13]);
    expect(committed.reduce((sum, [changes]) => sum + changes, 0)).toBe(2);
    expect(committed.reduce((sum, [, refused]) => sum + refused, 0)).toBe(1);
  });

  it('should make the producer wait when the limit is reached and release it once there is room', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { queue } = recorder({ gate });
    for (let sequence = 1; sequence < 10; sequence += 1) await queue.enqueue(change(sequence));
    let released = false;
    const waiting = queue.enqueue(change(10)).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    open();
    await waiting;
    expect(released).toBe(true);
  });

  it('should drop pending changes and release waiters when closed', async () => {
    const gate = new Promise<void>(() => undefined);
    const { queue, batches } = recorder({ gate });
    for (let sequence = 1; sequence < 10; sequence += 1) void queue.enqueue(change(sequence));
    const waiting = queue.enqueue(change(10));
    queue.close();
    await waiting;
    expect(queue.size).toBe(0);
    expect(batches).toEqual([]);
    await queue.enqueue(change(11));
    expect(queue.size).toBe(0);
  });
});
