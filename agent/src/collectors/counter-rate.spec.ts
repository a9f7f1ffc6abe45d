import { counterRate, noneWentDown, PreviousReading } from './counter-rate';

describe(PreviousReading.name, () => {
  it('should give the previous reading and the seconds between them', () => {
    const sut = new PreviousReading<number>();

    expect(sut.swap(1_000, 1)).toBeUndefined();
    expect(sut.swap(3_500, 2)).toEqual({ previous: 1, seconds: 2.5 });
  });

  it('should skip an interval in which the clock stood still or went backwards, keeping the new reading', () => {
    const sut = new PreviousReading<number>();
    sut.swap(10_000, 1);

    expect(sut.swap(10_000, 2)).toBeUndefined();
    expect(sut.swap(5_000, 3)).toBeUndefined();
    expect(sut.swap(6_000, 4)).toEqual({ previous: 3, seconds: 1 });
  });
});

describe(counterRate.name, () => {
  it('should give the increase per second', () => {
    expect(counterRate(100, 600, 10)).toBe(50);
  });

  it('should give nothing for a counter that wrapped or was reset, or for no elapsed time', () => {
    expect(counterRate(2 ** 32 - 10, 5, 10)).toBeUndefined();
    expect(counterRate(100, 600, 0)).toBeUndefined();
    expect(counterRate(100, Number.NaN, 10)).toBeUndefined();
  });
});

describe(noneWentDown.name, () => {
  it('should be false as soon as one counter went down', () => {
    expect(noneWentDown([1, 2, 3], [1, 5, 3])).toBe(true);
    expect(noneWentDown([1, 2, 3], [9, 9, 2])).toBe(false);
  });
});
