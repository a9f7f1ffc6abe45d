import {
  expiredPartitions,
  PARTITIONED_TABLES,
  partitionFor,
  partitionsCovering,
  wantedPartitions,
} from './partition-plan';

const [SAMPLES, , ROLLUP_1H] = PARTITIONED_TABLES;
const now = Date.UTC(2026, 10, 21, 13, 30);
const DAY_MS = 86_400_000;

describe('partition plan', () => {
  it('should name daily and monthly partitions after their UTC start', () => {
    expect(partitionFor(SAMPLES, now)).toEqual({
      table: 'samples',
      name: 'samples_20261121',
      from: new Date('2026-11-21T00:00:00Z'),
      to: new Date('2026-11-22T00:00:00Z'),
    });
    expect(partitionFor(ROLLUP_1H, Date.UTC(2026, 11, 31, 23))).toMatchObject({
      name: 'rollup_1h_202612',
      to: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('should want partitions from the retention horizon to two days ahead', () => {
    expect(wantedPartitions(SAMPLES, now, 2).map((range) => range.name)).toEqual([
      'samples_20261119',
      'samples_20261120',
      'samples_20261121',
      'samples_20261122',
      'samples_20261123',
    ]);
    expect(wantedPartitions(ROLLUP_1H, now, 40).map((range) => range.name)).toEqual([
      'rollup_1h_202610',
      'rollup_1h_202611',
    ]);
  });

  it('should cover a range across a month boundary', () => {
    expect(
      partitionsCovering(ROLLUP_1H, Date.UTC(2026, 9, 31), Date.UTC(2026, 10, 1)).map((range) => range.name),
    ).toEqual(['rollup_1h_202610', 'rollup_1h_202611']);
  });

  it('should expire only our partitions that end at or before the horizon', () => {
    const names = [
      'samples_20261118',
      'samples_20261119',
      'samples_20261120',
      'samples_seed_20200101',
      'samples_x',
    ];

    expect(expiredPartitions(SAMPLES, names, now, 2)).toEqual(['samples_20261118']);
    expect(expiredPartitions(SAMPLES, names, now + DAY_MS, 2)).toEqual([
      'samples_20261118',
      'samples_20261119',
    ]);
    expect(expiredPartitions(SAMPLES, names, now - DAY_MS, 2)).toEqual([]);
    expect(expiredPartitions(ROLLUP_1H, ['rollup_1h_202609', 'rollup_1h_202610'], now, 40)).toEqual([
      'rollup_1h_202609',
    ]);
  });
});
