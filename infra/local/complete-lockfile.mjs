// Adds lock entries for platform-specific optional packages (other OSes and CPUs) that npm could not
// resolve when the lock was written against a partial registry mirror. Without them `npm ci` refuses
// the lock as out of sync; with them it skips those packages on this platform and fetches them by
// name and version on the platform that needs them. Run after `npm install`:
//   node infra/local/complete-lockfile.mjs package-lock.json
import fs from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));

function platformOf(name) {
  const tail = name.split('/').pop();
  const os = /darwin/.test(tail)
    ? 'darwin'
    : /win32|windows/.test(tail)
      ? 'win32'
      : /freebsd/.test(tail)
        ? 'freebsd'
        : 'linux';
  const cpu = /arm64/.test(tail)
    ? 'arm64'
    : /ppc64/.test(tail)
      ? 'ppc64'
      : /s390x/.test(tail)
        ? 's390x'
        : /ia32/.test(tail)
          ? 'ia32'
          : /-arm(-|$)/.test(tail)
            ? 'arm'
            : 'x64';
  const libc = /musl/.test(tail) ? ['musl'] : /-gnu/.test(tail) && os === 'linux' ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const path = `node_modules/${name}`;
    if (lock.packages[path]) continue;
    lock.packages[path] = { version: version.replace(/^[\^~]/, ''), ...platformOf(name), optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
