import { commandOutput, fixtureContext, invalidSamples, ok, valueOf } from '../../test/fixtures/fixture-host';
import { SystemdCollector } from './systemd.collector';

const LIST_UNITS = 'systemctl list-units --type=service --all --no-legend --plain --no-pager';

describe(SystemdCollector.name, () => {
  it('should give each loaded service its state and count the failed ones', async () => {
    const context = fixtureContext('bare-metal', {
      [LIST_UNITS]: ok(commandOutput('systemctl-list-units.txt')),
    });

    const samples = await new SystemdCollector(context).collect();

    expect(valueOf(samples, 'systemd.unit_active', { unit: 'ssh.service' })).toBe(1);
    expect(samples.find((sample) => sample.labels?.unit === 'ssh.service')?.labels).toEqual({
      unit: 'ssh.service',
      state: 'active',
      sub: 'running',
    });
    expect(
      valueOf(samples, 'systemd.unit_active', { unit: 'mysql.service', state: 'failed', sub: 'failed' }),
    ).toBe(0);
    expect(valueOf(samples, 'systemd.unit_active', { unit: 'nginx.service', state: 'activating' })).toBe(0);
    expect(valueOf(samples, 'systemd.unit_active', { unit: 'ntp.service' })).toBeUndefined();
    expect(valueOf(samples, 'systemd.units_failed')).toBe(2);
    expect(samples.filter((sample) => sample.name === 'systemd.unit_active')).toHaveLength(22);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should run systemctl at most once a minute, and again after the clock went backwards', async () => {
    const context = fixtureContext('bare-metal', {
      [LIST_UNITS]: ok(commandOutput('systemctl-list-units.txt')),
    });
    const sut = new SystemdCollector(context);

    await sut.collect();
    context.advance(59_999);
    await sut.collect();
    expect(context.runner.calls).toHaveLength(1);
    context.advance(1);
    await sut.collect();
    context.advance(-120_000);
    await sut.collect();

    expect(context.runner.calls).toHaveLength(3);
  });

  it('should give nothing when systemctl is missing or systemd is not running', async () => {
    const missing = fixtureContext('docker-container');
    const notBooted = fixtureContext('docker-container', {
      [LIST_UNITS]: {
        code: 1,
        stdout: '',
        stderr:
          "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n",
      },
    });

    expect(await new SystemdCollector(missing).collect()).toEqual([]);
    expect(await new SystemdCollector(notBooted).collect()).toEqual([]);
    expect(missing.runner.calls).toEqual([LIST_UNITS]);
  });
});
