import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const AGENT = resolve(__dirname, '../../..');
const ROOT = resolve(AGENT, '..');

/**
 * Compiles the spool (and what it imports) to CommonJS in a fresh directory for a child process
 * to require: always from the current sources, and without the rest of the agent, which other
 * work may have half edited. Returns the path of the compiled spool.js.
 */
export async function compileSpool(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'optralis-spool-build-'));
  const config = {
    extends: join(ROOT, 'tsconfig.base.json'),
    compilerOptions: {
      rootDir: join(AGENT, 'src'),
      outDir: out,
      declaration: false,
      sourceMap: false,
      typeRoots: [join(ROOT, 'node_modules/@types')],
    },
    files: [join(AGENT, 'src/spool/spool.ts')],
  };
  await writeFile(join(out, 'tsconfig.json'), JSON.stringify(config));
  await promisify(execFile)(process.execPath, [
    join(ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(out, 'tsconfig.json'),
  ]);
  return join(out, 'spool/spool.js');
}
