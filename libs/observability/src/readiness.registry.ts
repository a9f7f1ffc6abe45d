import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency is usable; throws an Error whose message is the reason otherwise. */
  check(): Promise<void>;
}

export interface ReadinessCheckResult {
  ok: boolean;
  reason?: string;
  latencyMs: number;
}

export interface ReadinessReport {
  ready: boolean;
  /** `<name>: <reason>` of every failed check, joined by `; `; absent when ready. */
  reason?: string;
  checks: Record<string, ReadinessCheckResult>;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;
export const NO_CHECKS_REASON = 'no readiness checks registered';

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly timeoutMs: number;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: Pick<ObservabilityOptions, 'readinessTimeoutMs'>) {
    this.timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  }

  register(...checks: ReadinessCheck[]): void {
    for (const check of checks) {
      if (this.checks.has(check.name))
        throw new Error(`readiness check "${check.name}" is already registered`);
      this.checks.set(check.name, check);
    }
  }

  async evaluate(): Promise<ReadinessReport> {
    if (this.checks.size === 0) return { ready: false, reason: NO_CHECKS_REASON, checks: {} };
    const results = await Promise.all(
      [...this.checks.values()].map(async (check) => [check.name, await this.run(check)] as const),
    );
    const failures = results.filter(([, result]) => !result.ok);
    return {
      ready: failures.length === 0,
      ...(failures.length > 0 && {
        reason: failures.map(([name, result]) => `${name}: ${result.reason}`).join('; '),
      }),
      checks: Object.fromEntries(results),
    };
  }

  private async run(check: ReadinessCheck): Promise<ReadinessCheckResult> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      // A check that throws synchronously must fail like one that rejects.
      await Promise.race([Promise.resolve().then(() => check.check()), deadline]);
      return { ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, reason: reasonOf(error), latencyMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }
}
