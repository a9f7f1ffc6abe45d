export type MetricUnit = 'percent' | 'bytes' | 'bytesPerSecond' | 'plain';

const BINARY_PREFIXES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
const plainNumber = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** The unit a metric's name ends with: `_pct` / `_percent`, `_bytes`, `_bytes_per_s[ec[ond]]`. */
export function unitOf(metric: string): MetricUnit {
  if (/_(pct|percent)$/i.test(metric)) return 'percent';
  if (/_bytes_per_s(ec(ond)?)?$/i.test(metric)) return 'bytesPerSecond';
  if (/_bytes$/i.test(metric)) return 'bytes';
  return 'plain';
}

/** `1536` → `1.5 KiB`; below 1 KiB the exact count of bytes. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let size = Math.abs(bytes);
  let prefix = 0;
  while (size >= 1024 && prefix < BINARY_PREFIXES.length - 1) {
    size /= 1024;
    prefix += 1;
  }
  const digits = prefix === 0 ? 0 : size < 10 ? 2 : size < 100 ? 1 : 0;
  return `${sign}${size.toFixed(digits)} ${BINARY_PREFIXES[prefix]}`;
}

export function formatValue(value: number, unit: MetricUnit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerSecond':
      return `${formatBytes(value)}/s`;
    case 'plain':
      return plainNumber.format(value);
  }
}
