import { basename, join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { runQuietly } from './command-runner';
import { listDirectory, readInteger, readLinkTarget, readTrimmed } from './host-files';
import { SampleList } from './sample-list';
import { parseSensorsJson, type SensorReading } from './sensors-json.parser';
import { commandTtl, TtlCache } from './ttl-cache';

const SENSORS_EVERY_MS = 60_000;
const SENSORS_TIMEOUT_MS = 5_000;

interface Reading {
  celsius: number | undefined;
  labels: Record<string, string>;
}

/**
 * `temperature.celsius` from /sys/class/thermal zones and /sys/class/hwmon chips, read directly each
 * cycle. `sensors -j` reads those same hwmon files, so it is only asked (at most once a minute) when
 * sysfs shows no hwmon temperature. Readings outside -50…200 °C are disconnected or broken sensors.
 */
export class TemperatureCollector implements Collector {
  readonly name = 'temperature';
  private readonly sensors: TtlCache<SensorReading[] | undefined>;

  constructor(private readonly context: CollectorContext) {
    this.sensors = new TtlCache<SensorReading[] | undefined>(
      () => context.now(),
      commandTtl(SENSORS_EVERY_MS),
    );
  }

  async collect(): Promise<Sample[]> {
    const sys = this.context.paths.sys;
    const hwmon = hwmonReadings(join(sys, 'class', 'hwmon'));
    const readings = [...thermalZoneReadings(join(sys, 'class', 'thermal')), ...hwmon];
    if (hwmon.length === 0) {
      for (const reading of (await this.sensors.get(() => this.runSensors())) ?? []) {
        const labels = { source: 'sensors', chip: reading.chip, sensor: reading.sensor };
        readings.push({ celsius: reading.celsius, labels });
      }
    }
    const list = new SampleList();
    for (const { celsius, labels } of readings) {
      if (celsius !== undefined && celsius >= -50 && celsius <= 200)
        list.add('temperature.celsius', celsius, labels);
    }
    return list.samples;
  }

  /** Undefined when sensors is missing or fails. */
  private async runSensors(): Promise<SensorReading[] | undefined> {
    const result = await runQuietly(this.context.run, 'sensors', ['-j'], SENSORS_TIMEOUT_MS);
    return result?.code === 0 ? parseSensorsJson(result.stdout) : undefined;
  }
}

function thermalZoneReadings(folder: string): Reading[] {
  const zones = listDirectory(folder).filter((entry) => /^thermal_zone\d+$/.test(entry));
  return zones.sort(byNumber).map((zone) => {
    const milli = readInteger(join(folder, zone, 'temp'));
    const type = readTrimmed(join(folder, zone, 'type')) ?? zone;
    return {
      celsius: milli === undefined ? undefined : milli / 1000,
      labels: { source: 'thermal', sensor: type, zone },
    };
  });
}

function hwmonReadings(folder: string): Reading[] {
  const chips = listDirectory(folder).filter((entry) => /^hwmon\d+$/.test(entry));
  return chips.sort(byNumber).flatMap((chip) => chipReadings(join(folder, chip)));
}

function chipReadings(chipFolder: string): Reading[] {
  // Old drivers keep their attributes one level down, in the device's folder.
  let folder = chipFolder;
  let inputs = temperatureInputs(folder);
  if (inputs.length === 0) {
    folder = join(chipFolder, 'device');
    inputs = temperatureInputs(folder);
  }
  const chip = readTrimmed(join(folder, 'name')) ?? basename(chipFolder);
  const device = readLinkTarget(join(chipFolder, 'device'));
  return inputs.flatMap((input) => {
    const prefix = input.slice(0, -'_input'.length);
    const milli = readInteger(join(folder, input));
    if (milli === undefined) return [];
    const labels: Record<string, string> = {
      source: 'hwmon',
      chip,
      sensor: readTrimmed(join(folder, `${prefix}_label`)) ?? prefix,
    };
    // Two chips of one kind (two NVMe drives) differ only by the device they sit on.
    if (device) labels.device = basename(device);
    return [{ celsius: milli / 1000, labels }];
  });
}

function temperatureInputs(folder: string): string[] {
  return listDirectory(folder)
    .filter((entry) => /^temp\d+_input$/.test(entry))
    .sort(byNumber);
}

/** `hwmon2` before `hwmon10`. */
function byNumber(left: string, right: string): number {
  return Number(/\d+/.exec(left)?.[0]) - Number(/\d+/.exec(right)?.[0]);
}
