// Child of spool-crash.int-spec.ts: appends reports to a spool until it is killed. It prints
// "appended <seq>" once an append has returned (written and fsynced), "acking <seq>" before and
// "acked <seq>" after acknowledging the oldest records, so the parent knows what must survive.
import { Buffer } from 'node:buffer';
import { pathToFileURL } from 'node:url';

const [modulePath, directory, firstSeq] = process.argv.slice(2);
const loaded = await import(pathToFileURL(modulePath).href);
const { Spool } = loaded.default ?? loaded;

const spool = await Spool.open({ directory, segmentBytes: 64 * 1024 });
for (let seq = Number(firstSeq); ; seq += 1) {
  const pad = 'x'.repeat(100 + Math.floor(Math.random() * 3000));
  const outcome = await spool.append(Buffer.from(JSON.stringify({ seq, pad })));
  if (outcome !== 'stored') {
    process.stderr.write(`append ${seq}: ${outcome}\n`);
    process.exit(2);
  }
  process.stdout.write(`appended ${seq}\n`);
  if (seq % 40 === 39) {
    const records = await spool.peek({ limit: 15 });
    const last = records.at(-1);
    if (last !== undefined) {
      const lastSeq = JSON.parse(last.payload.toString('utf8')).seq;
      process.stdout.write(`acking ${lastSeq}\n`);
      await spool.acknowledge(last.position);
      process.stdout.write(`acked ${lastSeq}\n`);
    }
  }
}
