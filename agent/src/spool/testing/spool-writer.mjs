// Child of spool-crash.int-spec.ts: appends reports to a spool until it is killed. It prints
// "appended <seq>" once an append has returned (written and fsynced), "acking <seq>" before and
// "acked <seq>" after acknowledging the oldest records, so the parent knows what must survive.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const [modulePath, directory, firstSeq] = process.argv.slice(2);
const loaded = await import(pathToFileURL(modulePath).href);
const { Spool } = loaded.default ?? loaded;

const spool = await Spool.open({ directory, segmentBytes: 64 * 1024 });
for (let seq = Number(firstSeq); ; seq += 1) {
  // Compressed like the reporting loop's bodies; random text so that their sizes vary.
  const pad = randomBytes(50 + Math.floor(Math.random() * 1500)).toString('hex');
  const outcome = await spool.append({ bytes: gzipSync(JSON.stringify({ seq, pad })), encoding: 'gzip' });
  if (outcome !== 'stored') {
    process.stderr.write(`append ${seq}: ${outcome}\n`);
    process.exit(2);
  }
  process.stdout.write(`appended ${seq}\n`);
  if (seq % 40 === 39) {
    const records = await spool.peek({ limit: 15 });
    const last = records.at(-1);
    if (last !== undefined) {
      const lastSeq = JSON.parse(gunzipSync(last.body.bytes).toString('utf8')).seq;
      process.stdout.write(`acking ${lastSeq}\n`);
      await spool.acknowledge(last.position);
      process.stdout.write(`acked ${lastSeq}\n`);
    }
  }
}
