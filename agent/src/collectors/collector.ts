import type { Sample } from '@optralis/contracts/agent';

/** Where a collector reads the host from; tests point these at captured fixture trees. */
export interface HostPaths {
  proc: string;
  sys: string;
  etc: string;
  /** `/run` (systemd state, the Docker socket's usual home). */
  run: string;
  dockerSocket: string;
}

/** The outcome of an external command; undefined when it does not exist or timed out. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (
  command: string,
  args: string[],
  timeoutMs: number,
) => Promise<CommandResult | undefined>;

export interface CollectorContext {
  paths: HostPaths;
  /** Epoch milliseconds; rates are computed against it (a clock going backwards must not give negative rates). */
  now(): number;
  run: CommandRunner;
}

/** One family of metrics (cpu, memory, …). A failing collector gives no samples; it never fails the cycle. */
export interface Collector {
  readonly name: string;
  collect(): Promise<Sample[]>;
}

export const LINUX_PATHS: HostPaths = {
  proc: '/proc',
  sys: '/sys',
  etc: '/etc',
  run: '/run',
  dockerSocket: '/var/run/docker.sock',
};
