import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { runQuietly } from './command-runner';
import { type GpuReading, NVIDIA_SMI_QUERY, parseNvidiaSmi } from './nvidia-smi.parser';
import { SampleList } from './sample-list';
import { commandTtl, TtlCache } from './ttl-cache';

// nvidia-smi takes tens of milliseconds of CPU to start: run every cycle it alone would cost more
// than the rest of the agent, so its answer is reused for 30 s.
const NVIDIA_SMI_EVERY_MS = 30_000;
const NVIDIA_SMI_TIMEOUT_MS = 10_000;

/** NVIDIA GPUs through `nvidia-smi`, when it exists and answers. */
export class GpuCollector implements Collector {
  readonly name = 'gpu';
  private readonly readings: TtlCache<GpuReading[] | undefined>;

  constructor(private readonly context: CollectorContext) {
    this.readings = new TtlCache<GpuReading[] | undefined>(
      () => context.now(),
      commandTtl(NVIDIA_SMI_EVERY_MS),
    );
  }

  async collect(): Promise<Sample[]> {
    const gpus = (await this.readings.get(() => this.query())) ?? [];
    const list = new SampleList();
    for (const gpu of gpus) {
      const labels = { gpu: gpu.index, name: gpu.name, uuid: gpu.uuid };
      list.add('gpu.utilization_pct', gpu.utilizationPct, labels);
      list.add('gpu.memory_used_bytes', gpu.memoryUsedBytes, labels);
      list.add('gpu.memory_total_bytes', gpu.memoryTotalBytes, labels);
      if (gpu.memoryUsedBytes !== undefined && gpu.memoryTotalBytes) {
        list.add('gpu.memory_used_pct', (gpu.memoryUsedBytes / gpu.memoryTotalBytes) * 100, labels);
      }
      list.add('gpu.temperature_celsius', gpu.temperatureCelsius, labels);
      list.add('gpu.power_watts', gpu.powerWatts, labels);
    }
    return list.samples;
  }

  /** Undefined when nvidia-smi is missing or fails (no driver loaded). */
  private async query(): Promise<GpuReading[] | undefined> {
    const result = await runQuietly(this.context.run, 'nvidia-smi', NVIDIA_SMI_QUERY, NVIDIA_SMI_TIMEOUT_MS);
    return result?.code === 0 ? parseNvidiaSmi(result.stdout) : undefined;
  }
}
