import { formatBytes, formatValue, unitOf } from './units';

describe(unitOf.name, () => {
  it.each([
    ['cpu.usage_pct', 'percent'],
    ['disk.used_percent', 'percent'],
    ['memory.used_bytes', 'bytes'],
    ['net.rx_bytes_per_sec', 'bytesPerSecond'],
    ['load.1m', 'plain'],
    ['bytes_total', 'plain'],
  ])('should read the unit of %s as %s', (name, unit) => {
    expect(unitOf(name)).toBe(unit);
  });
});

describe(formatBytes.name, () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.50 KiB'],
    [25_000_000_000, '23.3 GiB'],
    [1024 ** 3 * 512, '512 GiB'],
    [-2048, '-2.00 KiB'],
  ])('should write %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe(formatValue.name, () => {
  it('should add a percent sign with one decimal when the unit is percent', () => {
    expect(formatValue(12.345, 'percent')).toBe('12.3%');
  });

  it('should write a rate of bytes per second when the unit says so', () => {
    expect(formatValue(3 * 1024 * 1024, 'bytesPerSecond')).toBe('3.00 MiB/s');
  });

  it('should group digits and keep two decimals when the unit is unknown', () => {
    expect(formatValue(1234567.891, 'plain')).toBe('1,234,567.89');
  });
});
