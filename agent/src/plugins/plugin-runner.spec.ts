import { Sample } from '@optralis/contracts';

import { DEFAULT_PLUGIN_LIMITS, type PluginLimits, runPlugin } from './plugin-runner';
import { pluginDirectory, shellPlugin, writePlugin } from './testing/plugin-files';

describe(runPlugin.name, () => {
  let directory: Awaited<ReturnType<typeof pluginDirectory>>;
  beforeEach(async () => (directory = await pluginDirectory()));
  afterEach(() => directory.remove());

  const run = async (
    script: string,
    limits: Partial<PluginLimits> = {},
    environment: Record<string, string> = {},
  ) =>
    runPlugin({
      plugin: await writePlugin(directory.path, 'probe', script),
      limits: { ...DEFAULT_PLUGIN_LIMITS, ...limits },
      environment: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment },
    });

  const lines = (...values: unknown[]) =>
    shellPlugin(
      `cat <<'EOF'\n${values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join('\n')}\nEOF`,
    );

  it('should return contract-valid samples labelled with the plugin when every line is valid', async () => {
    const result = await run(
      lines(
        { name: 'tls.cert_expiry_days', value: 12, labels: { host: 'example.com' } },
        { name: 'queue.depth', value: -3.5 },
      ),
    );

    expect(result.problem).toBeUndefined();
    expect(result.rejectedCount).toBe(0);
    expect(result.samples).toEqual([
      { name: 'tls.cert_expiry_days', value: 12, labels: { host: 'example.com', plugin: 'probe' } },
      { name: 'queue.depth', value: -3.5, labels: { plugin: 'probe' } },
    ]);
    for (const sample of result.samples) expect(Sample.safeParse(sample).success).toBe(true);
  });

  it('should count and explain every rejected line when the plugin prints garbage and hostile names', async () => {
    const tooManyLabels = Object.fromEntries(Array.from({ length: 32 }, (_, index) => [`l${index}`, 'x']));
    const result = await run(
      lines(
        'not json at all',
        '[1,2,3]',
        '"a string"',
        { value: 1 },
        { name: '', value: 1 },
        { name: '../../etc/passwd', value: 1 },
        { name: 'spaces in name', value: 1 },
        { name: '1starts.with.digit', value: 1 },
        { name: 'x'.repeat(201), value: 1 },
        { name: 'emoji.🔥', value: 1 },
        { name: 'cpu.usage_pct\u0000', value: 1 },
        { name: 'agent.collect_duration_ms', value: 1 },
        { name: 'ok.name', value: '12' },
        { name: 'ok.name', value: null },
        '{"name":"ok.name","value":1e999}',
        { name: 'ok.name', value: 1, labels: { port: 443 } },
        { name: 'ok.name', value: 1, labels: ['a'] },
        { name: 'ok.name', value: 1, labels: { plugin: 'spoofed' } },
        { name: 'ok.name', value: 1, labels: tooManyLabels },
        { name: 'ok.name', value: 1, labels: { ['k'.repeat(129)]: 'v' } },
        { name: 'ok.name', value: 1, labels: { host: 'v'.repeat(1025) } },
        '{"name":"ok.name","value":2,"labels":{"__proto__":"x"}}',
        { name: 'ok.name', value: 3 },
        { name: 'ok.name', value: 4 },
      ),
    );

    expect(result.problem).toBeUndefined();
    expect(result.samples).toEqual([
      { name: 'ok.name', value: 2, labels: { ['__proto__']: 'x', plugin: 'probe' } },
      { name: 'ok.name', value: 3, labels: { plugin: 'probe' } },
    ]);
    expect(result.rejectedCount).toBe(22);
    expect(result.rejected.map((rejected) => [rejected.line, rejected.reason.split(':')[0]])).toEqual([
      [1, 'not JSON'],
      [2, 'not a JSON object'],
      [3, 'not a JSON object'],
      [4, 'name'],
      [5, 'name'],
      [6, 'name'],
      [7, 'name'],
      [8, 'name'],
      [9, 'name'],
      [10, 'name'],
      [11, 'name'],
      [12, 'name'],
      [13, 'value'],
      [14, 'value'],
      [15, 'value'],
      [16, 'labels.port'],
      [17, 'labels'],
      [18, 'labels.plugin'],
      [19, 'labels'],
      [20, 'labels.' + 'k'.repeat(64)],
    ]);
    expect(result.rejected[11].reason).toContain('reserved');
    expect(result.rejected[8].text.length).toBeLessThanOrEqual(201);
  });

  it('should keep the first of two lines of the same series whatever the label order', async () => {
    const result = await run(
      lines(
        { name: 'dup.series', value: 1, labels: { a: '1', b: '2' } },
        { name: 'dup.series', value: 2, labels: { b: '2', a: '1' } },
        { name: 'dup.series', value: 3, labels: { a: '1' } },
      ),
    );

    expect(result.samples.map((sample) => sample.value)).toEqual([1, 3]);
    expect(result.rejected).toEqual([
      { line: 2, text: expect.any(String), reason: 'same name and labels as line 1' },
    ]);
  });

  it('should kill the whole process group when the plugin hangs past its timeout', async () => {
    const started = Date.now();
    const result = await run(
      shellPlugin('echo \'{"name":"early.sample","value":1}\'\nsleep 30 &\necho $! >&2\nsleep 30'),
      {
        timeoutMs: 500,
      },
    );

    expect(result.problem).toBe('timed out after 500 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.samples.map((sample) => sample.name)).toEqual(['early.sample']);
    const grandchild = Number(result.stderr);
    expect(Number.isInteger(grandchild)).toBe(true);
    await vi.waitFor(() => expect(() => process.kill(grandchild, 0)).toThrow(), { timeout: 5000 });
  });

  it('should stop reading and kill the plugin when it prints more than the output limit', async () => {
    const result = await run(
      shellPlugin('i=0; while :; do i=$((i+1)); echo "{\\"name\\":\\"flood.n$i\\",\\"value\\":$i}"; done'),
      { maxOutputBytes: 64 * 1024, maxSamples: 100_000, timeoutMs: 20_000 },
    );

    expect(result.problem).toBe(`printed more than ${64 * 1024} bytes`);
    expect(result.samples.length).toBeGreaterThan(1000);
    const accepted = result.samples.reduce((bytes, sample) => bytes + JSON.stringify(sample).length, 0);
    expect(accepted).toBeLessThan(2 * 64 * 1024);
    expect(result.rejectedCount).toBe(0);
  });

  it('should keep the whole lines before the output limit, even one split across reads, and drop the cut one', async () => {
    const line = (name: string) => `{"name":"${name}","value":1,"labels":{"pad":"${'x'.repeat(50)}"}}`;
    const [first, second, third] = [line('first.line'), line('second.line'), line('third.line')];
    const limit = first.length + second.length + 2 + 10;
    const script = shellPlugin(
      `printf '%s\\n%s' '${first}' '${second.slice(0, 20)}'\nsleep 0.3\nprintf '%s\\n%s\\n' '${second.slice(20)}' '${third}'\nsleep 5`,
    );

    const result = await run(script, { maxOutputBytes: limit });

    expect(result.problem).toBe(`printed more than ${limit} bytes`);
    expect(result.samples.map((sample) => sample.name)).toEqual(['first.line', 'second.line']);
    expect(result.rejectedCount).toBe(0);
  });

  it('should keep only maxSamples samples and count the rest when the plugin prints too many lines', async () => {
    const result = await run(
      shellPlugin(
        'i=0; while [ $i -lt 50 ]; do i=$((i+1)); echo "{\\"name\\":\\"many.n$i\\",\\"value\\":$i}"; done',
      ),
      { maxSamples: 10 },
    );

    expect(result.samples).toHaveLength(10);
    expect(result.rejectedCount).toBe(40);
    expect(result.rejected[0].reason).toBe('more than 10 samples in one run');
  });

  it('should report the exit code and stderr when the plugin fails', async () => {
    const result = await run(
      shellPlugin('echo \'{"name":"partial.value","value":1}\'\necho "boom: no credentials" >&2\nexit 3'),
    );

    expect(result.problem).toBe('exited with code 3');
    expect(result.stderr).toBe('boom: no credentials');
    expect(result.samples).toHaveLength(1);
  });

  it('should report a start failure when the interpreter does not exist', async () => {
    const result = await run('#!/nonexistent/interpreter\n');

    expect(result.problem).toMatch(/^could not start: /);
    expect(result.samples).toEqual([]);
  });

  it('should accept a last line without a newline and ignore blank lines', async () => {
    const result = await run(
      shellPlugin('printf \'\\n\\n{"name":"a.b","value":1}\\n\\n{"name":"c.d","value":2}\''),
    );

    expect(result.rejectedCount).toBe(0);
    expect(result.samples.map((sample) => sample.name)).toEqual(['a.b', 'c.d']);
  });

  it('should give the plugin only the environment it is handed', async () => {
    const result = await run(
      shellPlugin(
        'echo "{\\"name\\":\\"env.check\\",\\"value\\":1,\\"labels\\":{\\"token\\":\\"${OPTRALIS_AGENT_TOKEN:-none}\\",\\"given\\":\\"$GIVEN\\"}}"',
      ),
      {},
      { GIVEN: 'yes' },
    );

    expect(result.samples[0].labels).toEqual({ token: 'none', given: 'yes', plugin: 'probe' });
  });
});
