import { resample, sparkline, summarise } from './sparkline';

describe(resample.name, () => {
  it('should keep every value when the series is narrower than the width', () => {
    expect(resample([1, 2, 3], 80)).toEqual([1, 2, 3]);
  });

  it('should average runs of consecutive points when the series is wider than the width', () => {
    expect(resample([1, 3, 5, 7, 9, 11], 3)).toEqual([2, 6, 10]);
  });

  it('should give exactly the width when the length is not a multiple of it', () => {
    const sut = resample(
      Array.from({ length: 1000 }, (_, index) => index),
      77,
    );
    expect(sut).toHaveLength(77);
    expect(sut[0]).toBeLessThan(sut[76]);
  });
});

describe(sparkline.name, () => {
  it('should span the lowest to the highest bar when values rise', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 80)).toBe('▁▂▃▄▅▆▇█');
  });

  it('should draw a flat series at mid height when all values are equal', () => {
    expect(sparkline([5, 5, 5], 80)).toBe('▄▄▄');
  });

  it('should fit the terminal width when there are more points than columns', () => {
    const sut = sparkline(
      Array.from({ length: 720 }, (_, index) => Math.sin(index / 50)),
      60,
    );
    expect([...sut]).toHaveLength(60);
  });

  it('should draw nothing when there are no points', () => {
    expect(sparkline([], 80)).toBe('');
  });
});

describe(summarise.name, () => {
  it('should give min, max, average and the last value when there are points', () => {
    expect(summarise([4, 1, 7, 2])).toEqual({ min: 1, max: 7, avg: 3.5, last: 2 });
  });

  it('should give nothing when there are no points', () => {
    expect(summarise([])).toBeUndefined();
  });
});
