import {
  commandOutput,
  fixtureContext,
  invalidSamples,
  ok,
  scratchContext,
} from '../../test/fixtures/fixture-host';
import { parseSensorsJson } from './sensors-json.parser';
import { TemperatureCollector } from './temperature.collector';

const readings = (samples: { name: string; value: number; labels?: Record<string, string> }[]) =>
  samples.map((sample) => ({ value: sample.value, ...sample.labels }));

describe(TemperatureCollector.name, () => {
  it('should read thermal zones and hwmon chips of a bare-metal server without starting sensors', async () => {
    const context = fixtureContext('bare-metal');

    const samples = await new TemperatureCollector(context).collect();

    expect(readings(samples)).toEqual([
      { value: 27.8, source: 'thermal', sensor: 'acpitz', zone: 'thermal_zone0' },
      { value: 45, source: 'thermal', sensor: 'x86_pkg_temp', zone: 'thermal_zone1' },
      { value: 27.8, source: 'hwmon', chip: 'acpitz', sensor: 'temp1' },
      { value: 45, source: 'hwmon', chip: 'coretemp', sensor: 'Package id 0', device: 'coretemp.0' },
      { value: 41, source: 'hwmon', chip: 'coretemp', sensor: 'Core 0', device: 'coretemp.0' },
      { value: 43, source: 'hwmon', chip: 'coretemp', sensor: 'Core 1', device: 'coretemp.0' },
      { value: 38.85, source: 'hwmon', chip: 'nvme', sensor: 'Composite', device: 'nvme0' },
      { value: 41.85, source: 'hwmon', chip: 'nvme', sensor: 'Sensor 1', device: 'nvme0' },
      { value: 36.85, source: 'hwmon', chip: 'nvme', sensor: 'Composite', device: 'nvme1' },
      { value: 35, source: 'hwmon', chip: 'w83627ehf', sensor: 'temp1' },
    ]);
    expect(samples.every((sample) => sample.name === 'temperature.celsius')).toBe(true);
    expect(invalidSamples(samples)).toEqual([]);
    expect(context.runner.calls).toEqual([]);
  });

  it('should give nothing and no error in a container without /sys/class/thermal or sensors', async () => {
    const context = fixtureContext('docker-container');
    const sut = new TemperatureCollector(context);

    expect(await sut.collect()).toEqual([]);
    expect(await sut.collect()).toEqual([]);
    expect(context.runner.calls).toEqual(['sensors -j']);
  });

  it('should ask sensors -j at most once a minute when sysfs has no hwmon temperature', async () => {
    const context = scratchContext({ 'sensors -j': ok(commandOutput('sensors-j.txt')) });
    const sut = new TemperatureCollector(context);

    const first = await sut.collect();
    context.advance(10_000);
    const second = await sut.collect();
    context.advance(50_000);
    await sut.collect();

    expect(readings(first)).toEqual([
      { value: 45, source: 'sensors', chip: 'coretemp-isa-0000', sensor: 'Package id 0' },
      { value: 41, source: 'sensors', chip: 'coretemp-isa-0000', sensor: 'Core 0' },
      { value: 38.85, source: 'sensors', chip: 'nvme-pci-0100', sensor: 'Composite' },
      { value: 27.8, source: 'sensors', chip: 'acpitz-acpi-0', sensor: 'temp1' },
    ]);
    expect(second).toEqual(first);
    expect(context.runner.calls).toEqual(['sensors -j', 'sensors -j']);
  });

  it('should leave out unreadable, non-numeric and impossible readings', async () => {
    const context = fixtureContext('garbage', {
      'sensors -j': ok('{"chip": [1, 2], "other": {"temp1": {"temp1_input": "hot"}}}'),
    });

    expect(await new TemperatureCollector(context).collect()).toEqual([]);
  });
});

describe(parseSensorsJson.name, () => {
  it('should give nothing for output that is not JSON', () => {
    expect(
      parseSensorsJson('No sensors found!\nMake sure you loaded all the kernel drivers you need.'),
    ).toEqual([]);
  });
});
