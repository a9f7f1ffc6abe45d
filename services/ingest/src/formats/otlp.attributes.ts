import { int64ToNumber } from './int64';
import type { OtlpAnyValue } from './otlp.decoder';

/** An attribute as a label value: scalars as text, bytes as base64, arrays and maps as JSON. */
export function attributeText(value: OtlpAnyValue | null | undefined): string {
  if (value == null) return '';
  switch (value.value) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return String(value.boolValue === true);
    case 'doubleValue':
      return String(value.doubleValue ?? 0);
    case 'intValue':
      // Long#toString is exact beyond 2^53.
      return String(value.intValue);
    case 'bytesValue':
      return Buffer.from(value.bytesValue ?? []).toString('base64');
    case 'arrayValue':
    case 'kvlistValue':
      return JSON.stringify(plain(value, 0));
    default:
      return '';
  }
}

/** An attribute as an inventory value: strings, numbers and booleans keep their type. */
export function attributeValue(value: OtlpAnyValue | null | undefined): string | number | boolean {
  switch (value?.value) {
    case 'boolValue':
      return value.boolValue === true;
    case 'doubleValue':
      return value.doubleValue ?? 0;
    case 'intValue':
      return int64ToNumber(value.intValue ?? 0);
    default:
      return attributeText(value);
  }
}

/** Nesting deeper than any real attribute is cut, so that a hostile payload cannot exhaust the stack. */
const MAX_DEPTH = 16;

function plain(value: OtlpAnyValue | null | undefined, depth: number): unknown {
  if (depth > MAX_DEPTH) return '…';
  switch (value?.value) {
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map((item) => plain(item, depth + 1));
    case 'kvlistValue': {
      const entries = Object.create(null) as Record<string, unknown>;
      for (const entry of value.kvlistValue?.values ?? []) entries[entry.key] = plain(entry.value, depth + 1);
      return entries;
    }
    default:
      return attributeValue(value);
  }
}
