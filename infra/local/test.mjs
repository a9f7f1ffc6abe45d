// `npm test`: infrastructure up, build, then every project's tests in one vitest run.
// Extra arguments go to vitest (`npm test -- libs/config`). Exits with vitest's exit code after
// one summary line: `N passed, N failed[, N skipped]`.
import fs from 'node:fs';
import path from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

import { prepareWorkspace, runChild } from './child.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS = '.optralis/vitest-results.json';

let current;
// Ctrl-C reaches the child through the terminal; a SIGTERM sent to this process is passed on.
// `npm test` runs this through `sh -c`, and npm's SIGTERM stops at that shell: losing the parent
// counts as a SIGTERM too.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => current?.kill('SIGTERM'));
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid === parentPid) return;
  current?.kill('SIGTERM');
  process.exit(143);
}, 500).unref();

function run(command, args) {
  return runChild(command, args, { cwd: ROOT, track: (child) => (current = child) });
}

async function step(label, command, args) {
  console.log(`\x1b[1m[test]\x1b[0m ${label}`);
  const code = await run(command, args);
  if (code !== 0) {
    console.error(`[test] ${label} failed (exit code ${code})`);
    process.exit(code);
  }
}

// Counts from vitest's JSON report. A test file that failed without a failing test (it did not
// load, or a hook threw) counts as one failure, so the line never says "0 failed" for a red run.
function summary(exitCode) {
  const file = path.join(ROOT, RESULTS);
  if (!fs.existsSync(file)) {
    console.log(`[test] vitest wrote no ${RESULTS} (exit code ${exitCode})`);
    return `0 passed, ${exitCode === 0 ? 0 : 1} failed`;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const brokenFiles = (report.testResults ?? []).filter(
    (result) =>
      result.status === 'failed' && !(result.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  const passed = report.numPassedTests ?? 0;
  const failed = (report.numFailedTests ?? 0) + brokenFiles;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

await prepareWorkspace(ROOT, step);

fs.mkdirSync(path.dirname(path.join(ROOT, RESULTS)), { recursive: true });
fs.rmSync(path.join(ROOT, RESULTS), { force: true });
const vitestArgs = [
  'vitest',
  'run',
  '--config',
  'vitest.config.mts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${RESULTS}`,
  ...process.argv.slice(2),
];
console.log(`\x1b[1m[test]\x1b[0m npx ${vitestArgs.join(' ')}`);
const exitCode = await run('npx', vitestArgs);
console.log(summary(exitCode));
process.exit(exitCode);
