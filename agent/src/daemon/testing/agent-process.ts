import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AGENT_MAIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'daemon', 'main.js');

export interface AgentProcess {
  child: ChildProcess;
  directory: string;
  stateDirectory: string;
  pluginsDirectory: string;
  /** The JSON log lines printed so far. */
  logs(): Array<Record<string, unknown>>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after 20 s; resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  remove(): Promise<void>;
}

/**
 * The built agent (`node agent/dist/src/daemon/main.js run`) with a 0600 config in a fresh temp directory holding its
 * state and plugins directories; `plugins` are written there (name → script) before it starts.
 */
export async function startAgentProcess(input: {
  config: Record<string, unknown>;
  plugins?: Record<string, string>;
  /** The agent's whole environment: nothing of the test's own leaks in (an OPTRALIS_AGENT_* would override the file). */
  env: Record<string, string>;
  /** A previous agent's directory: start again on its state (spool, sequence) as after a crash. */
  directory?: string;
}): Promise<AgentProcess> {
  const directory = input.directory ?? (await mkdtemp(join(tmpdir(), 'optralis-agent-')));
  const stateDirectory = join(directory, 'state');
  const pluginsDirectory = join(directory, 'plugins.d');
  await mkdir(pluginsDirectory, { mode: 0o755, recursive: true });
  await chmod(pluginsDirectory, 0o755);
  for (const [name, script] of Object.entries(input.plugins ?? {})) {
    await writeFile(join(pluginsDirectory, name), script);
    await chmod(join(pluginsDirectory, name), 0o755);
  }
  const configPath = join(directory, 'agent.json');
  await writeFile(configPath, JSON.stringify({ stateDirectory, pluginsDirectory, ...input.config }), {
    mode: 0o600,
  });

  const child = spawn(process.execPath, [AGENT_MAIN, 'run', '--config', configPath], {
    env: input.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    directory,
    stateDirectory,
    pluginsDirectory,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** One short-lived command of the built agent (`enroll`, `plugin run`, …). */
export function runAgentCommand(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AGENT_MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
