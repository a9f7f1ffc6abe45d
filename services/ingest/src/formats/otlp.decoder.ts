import { badRequest } from '../intake/intake.errors';
import type { Int64 } from './int64';
import { parseJson } from './json-body';
import { ExportMetricsServiceRequest } from './proto/otlp-metrics.proto';

/** The decoded messages, as protobufjs builds them from either encoding (see proto/otlp-metrics.proto.ts). */
export interface OtlpAnyValue {
  value?:
    | 'stringValue'
    | 'boolValue'
    | 'intValue'
    | 'doubleValue'
    | 'arrayValue'
    | 'kvlistValue'
    | 'bytesValue';
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] } | null;
  kvlistValue?: { values: OtlpKeyValue[] } | null;
  bytesValue?: Uint8Array;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue | null;
}

interface OtlpPoint {
  attributes: OtlpKeyValue[];
  timeUnixNano: Int64;
  flags: number;
}

export interface OtlpNumberPoint extends OtlpPoint {
  value?: 'asDouble' | 'asInt';
  asDouble?: number;
  asInt?: Int64;
}

export interface OtlpHistogramPoint extends OtlpPoint {
  count: Int64;
  sum?: number | null;
  min?: number | null;
  max?: number | null;
  bucketCounts: Int64[];
  explicitBounds: number[];
}

export type OtlpExponentialHistogramPoint = Omit<OtlpHistogramPoint, 'bucketCounts' | 'explicitBounds'>;

export interface OtlpSummaryPoint extends OtlpPoint {
  count: Int64;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
}

export interface OtlpMetric {
  name: string;
  unit: string;
  data?: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  gauge?: { dataPoints: OtlpNumberPoint[] } | null;
  sum?: { dataPoints: OtlpNumberPoint[] } | null;
  histogram?: { dataPoints: OtlpHistogramPoint[] } | null;
  exponentialHistogram?: { dataPoints: OtlpExponentialHistogramPoint[] } | null;
  summary?: { dataPoints: OtlpSummaryPoint[] } | null;
}

export interface OtlpResourceMetrics {
  resource?: { attributes: OtlpKeyValue[] } | null;
  scopeMetrics: { metrics: OtlpMetric[] }[];
}

export type OtlpContentType = 'application/x-protobuf' | 'application/json';

/**
 * Either encoding → the same message objects. OTLP/JSON (lowerCamelCase keys, 64-bit integers as strings or
 * numbers, enums as integers) is what protobufjs `fromObject` accepts.
 */
export function decodeOtlp(body: Buffer, contentType: OtlpContentType): OtlpResourceMetrics[] {
  if (contentType === 'application/json') {
    const value = parseJson(body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw badRequest('body is not a valid OTLP JSON request: expected an object');
    }
    return decodeWith(() => ExportMetricsServiceRequest.fromObject(value), 'OTLP JSON request');
  }
  return decodeWith(() => ExportMetricsServiceRequest.decode(body), 'ExportMetricsServiceRequest protobuf');
}

function decodeWith(decode: () => object, what: string): OtlpResourceMetrics[] {
  try {
    return (decode() as { resourceMetrics: OtlpResourceMetrics[] }).resourceMetrics;
  } catch (error) {
    throw badRequest(`body is not a valid ${what}: ${(error as Error).message}`);
  }
}
