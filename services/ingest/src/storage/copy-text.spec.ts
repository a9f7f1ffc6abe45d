import { encodeSampleRows } from './copy-text';

describe(encodeSampleRows.name, () => {
  it('should write one tab-separated line per row with the values as an array literal', () => {
    const text = encodeSampleRows([
      { hostKey: 7, time: '2026-11-21T10:00:00.000Z', setId: 3, values: [1.5, -2, 0.1, 1e21, 5e-324] },
      { hostKey: 8, time: '2026-11-21T10:00:00+02:00', setId: 4, values: [0] },
    ]);

    expect(text).toBe(
      '7\t2026-11-21T10:00:00.000Z\t3\t{1.5,-2,0.1,1e+21,5e-324}\n8\t2026-11-21T10:00:00+02:00\t4\t{0}\n',
    );
  });

  it('should write nothing when there are no rows', () => {
    expect(encodeSampleRows([])).toBe('');
  });
});
