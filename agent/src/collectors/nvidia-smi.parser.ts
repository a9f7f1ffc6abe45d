export const NVIDIA_SMI_QUERY = [
  '--query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
];

export interface GpuReading {
  index: string;
  name: string;
  uuid: string;
  utilizationPct?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
}

const MIB = 1024 * 1024;

/** Lines of NVIDIA_SMI_QUERY's output; `[N/A]`, `[Not Supported]` and the like leave that value out. */
export function parseNvidiaSmi(text: string): GpuReading[] {
  const gpus: GpuReading[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length < 8 || !/^\d+$/.test(fields[0])) continue;
    // The five numbers and the uuid are counted from the end, so a comma in a product name cannot shift them.
    const numbers = fields.slice(-5).map(measured);
    const [utilizationPct, memoryUsedMib, memoryTotalMib, temperatureCelsius, powerWatts] = numbers;
    gpus.push({
      index: fields[0],
      name: fields.slice(1, -6).join(', '),
      uuid: fields[fields.length - 6],
      utilizationPct,
      memoryUsedBytes: memoryUsedMib === undefined ? undefined : memoryUsedMib * MIB,
      memoryTotalBytes: memoryTotalMib === undefined ? undefined : memoryTotalMib * MIB,
      temperatureCelsius,
      powerWatts,
    });
  }
  return gpus;
}

function measured(text: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}
