import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { PluginFile } from './plugin-discovery';
import { PluginOutputParser, type RejectedLine } from './plugin-output';

const STDERR_TAIL_BYTES = 4096;

export interface PluginLimits {
  timeoutMs: number;
  /** stdout beyond this is not read and the plugin is killed. */
  maxOutputBytes: number;
  maxSamples: number;
}

export interface PluginRunResult {
  plugin: string;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  samples: Sample[];
  rejected: RejectedLine[];
  rejectedCount: number;
  stderr: string;
  /** Why the run counts as failed: it could not start, timed out, printed too much or exited non-zero. */
  problem?: string;
}

export const DEFAULT_PLUGIN_LIMITS: PluginLimits = {
  timeoutMs: 5000,
  maxOutputBytes: 1024 * 1024,
  maxSamples: 2000,
};

/**
 * Runs one plugin in its own process group (so a timeout kills whatever it started, as Telegraf's exec does), reading
 * stdout line by line up to the byte limit. Samples printed before a failure are kept; the problem is reported.
 */
export function runPlugin(input: {
  plugin: PluginFile;
  limits: PluginLimits;
  environment: Record<string, string>;
}): Promise<PluginRunResult> {
  const { plugin, limits } = input;
  const started = performance.now();
  const parser = new PluginOutputParser(plugin.name, limits.maxSamples);
  let problem: string | undefined;
  let stdoutBytes = 0;
  let partial = '';
  let stderr = '';

  return new Promise((resolve) => {
    const child = spawn(plugin.path, [], {
      cwd: dirname(plugin.path),
      env: input.environment,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (reason: string) => {
      problem ??= reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    const timer = setTimeout(() => killGroup(`timed out after ${limits.timeoutMs} ms`), limits.timeoutMs);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdoutBytes > limits.maxOutputBytes) return;
      const bytes = Buffer.byteLength(chunk);
      stdoutBytes += bytes;
      if (stdoutBytes > limits.maxOutputBytes) {
        const room = limits.maxOutputBytes - (stdoutBytes - bytes);
        chunk = Buffer.from(chunk).subarray(0, room).toString('utf8');
        killGroup(`printed more than ${limits.maxOutputBytes} bytes`);
        // Only whole lines count: the cut-off line at the limit is dropped, with what came of it before.
        const lastNewline = chunk.lastIndexOf('\n');
        if (lastNewline < 0) partial = '';
        chunk = lastNewline < 0 ? '' : chunk.slice(0, lastNewline + 1);
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) parser.line(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      problem ??= `could not start: ${error.code ?? error.message}`;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (partial !== '' && stdoutBytes <= limits.maxOutputBytes) parser.line(partial);
      if (problem === undefined && code !== 0 && code !== null) problem = `exited with code ${code}`;
      if (problem === undefined && signal !== null) problem = `killed by ${signal}`;
      resolve({
        plugin: plugin.name,
        durationMs: Math.round(performance.now() - started),
        exitCode: code,
        signal,
        samples: parser.samples,
        rejected: parser.rejected,
        rejectedCount: parser.rejectedCount,
        stderr: stderr.trim(),
        ...(problem === undefined ? {} : { problem }),
      });
    });
  });
}
