import { SerialQueue } from './serial-queue';

describe(SerialQueue.name, () => {
  it('should run operations one at a time in call order, going on after a failure', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const step = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} end`);
      return name;
    };
    const first = queue.run(step('a'));
    const failing = queue.run(async () => {
      throw new Error('disk full');
    });
    const third = queue.run(step('c'));
    await expect(failing).rejects.toThrow('disk full');
    expect(await first).toBe('a');
    expect(await third).toBe('c');
    await queue.idle();
    expect(events).toEqual(['a start', 'a end', 'c start', 'c end']);
  });
});
