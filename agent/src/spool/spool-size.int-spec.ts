import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { decodeBody, encodeReport } from '../transport/encoded-body';
import { type AppendOutcome, Spool, SPOOL_DEFAULTS } from './spool';
import { hostReport } from './testing/host-report';
import { LEGACY_HEADER_BYTES } from './testing/legacy-spool';
import { range, useTemporaryDirectory } from './testing/spool-fixtures';

/** A day of reports at the default 10 s interval. */
const REPORTS = 8640;

describe(`${Spool.name} size`, () => {
  const directory = useTemporaryDirectory();

  it('should store a day of 200-sample reports in at most a fifth of the bytes the plain JSON records took', async () => {
    const sut = await Spool.open({ directory: directory() });
    let previousBytes = 0;
    const appends: Promise<AppendOutcome>[] = [];
    for (let first = 0; first < REPORTS; first += 4) {
      const bodies = await Promise.all(
        range(first, first + 4).map((seq) => encodeReport(hostReport(seq, 200))),
      );
      for (const body of bodies) {
        // The previous format stored the JSON itself behind a shorter header.
        previousBytes += LEGACY_HEADER_BYTES + decodeBody(body).length;
        // Not awaited: the spool queues appends, so the next reports compress while these are written.
        appends.push(sut.append(body));
      }
    }
    expect(new Set(await Promise.all(appends))).toEqual(new Set(['stored']));
    const { bytes, pendingReports } = sut.stats();
    await sut.close();

    const files = (await readdir(directory())).filter((name) => name.startsWith('segment-'));
    const onDisk = (await Promise.all(files.map((name) => stat(join(directory(), name))))).reduce(
      (sum, file) => sum + file.size,
      0,
    );
    expect(pendingReports).toBe(REPORTS);
    expect(onDisk).toBe(bytes);
    expect(bytes / previousBytes).toBeLessThanOrEqual(1 / 5);
    // So the default size bound now holds more than the default age bound of 7 days.
    expect(bytes * 7).toBeLessThan(SPOOL_DEFAULTS.maxBytes);
  }, 120_000);
});
