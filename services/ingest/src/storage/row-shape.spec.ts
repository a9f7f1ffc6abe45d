import { arrange, canonicalRow, layOut, shapeOf, shapeText } from './row-shape';

describe('row shape', () => {
  it('should tell shapes apart when label text mimics the separators', () => {
    const shapes = [
      [{ name: 'm', value: 1, labels: { a: '1|1:b1:2' } }],
      [{ name: 'm', value: 1, labels: { a: '1', b: '2' } }],
      [{ name: 'm', value: 1, labels: { 'a|1': 'b' } }],
      [
        { name: 'm', value: 1 },
        { name: 'n', value: 1 },
      ],
      [{ name: 'mn', value: 1 }],
    ].map(shapeText);

    expect(new Set(shapes).size).toBe(shapes.length);
    expect(new Set(shapes.map((_, index) => shapeOf([{ name: `m${index}`, value: 0 }]))).size).toBe(
      shapes.length,
    );
  });

  it('should collapse a repeated series to its first position when canonicalising a row', () => {
    const row = canonicalRow([
      { name: 'a', value: 1, labels: { y: '2', x: '1' } },
      { name: 'b', value: 2 },
      { name: 'a', value: 3, labels: { x: '1', y: '2' } },
    ]);

    expect(row).toEqual({
      keys: ['a\u0000[["x","1"],["y","2"]]', 'b'],
      names: ['a', 'b'],
      labels: [
        [
          ['x', '1'],
          ['y', '2'],
        ],
        [],
      ],
      labelKeys: ['[["x","1"],["y","2"]]', '[]'],
      positions: [0, 1, 0],
    });
  });

  it('should sort series by id, let the last duplicate win and leave refused series out', () => {
    const row = canonicalRow([
      { name: 'a', value: 0 },
      { name: 'b', value: 0 },
      { name: 'c', value: 0 },
      { name: 'a', value: 0 },
    ]);

    const { ids, slots, refused } = layOut(row, [30, 0, 10]);

    expect(ids).toEqual([10, 30]);
    expect([...slots]).toEqual([1, -1, 0, 1]);
    expect(refused).toBe(1);
    expect(arrange([1, 2, 3, 4], { slots, width: ids.length })).toEqual([3, 4]);
  });
});
