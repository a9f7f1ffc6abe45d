import { commandRunner } from './command-runner';

describe('commandRunner', () => {
  it('should give the output and exit status of a command that ran, without a shell', async () => {
    const result = await commandRunner(
      'sh',
      ['-c', 'echo "$0 $LC_ALL"; echo oops >&2; exit 3', '$(not run)'],
      5_000,
    );

    expect(result).toEqual({ code: 3, stdout: '$(not run) C\n', stderr: 'oops\n' });
  });

  it('should give undefined for a command that does not exist', async () => {
    expect(await commandRunner('optralis-no-such-command', [], 5_000)).toBeUndefined();
  });

  it('should give undefined, soon, for a command that outlives its timeout', async () => {
    const started = Date.now();

    expect(await commandRunner('sleep', ['10'], 100)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
