import { parse, type Type } from 'protobufjs';

/**
 * OTLP metrics export request: the messages read by the intake, from open-telemetry/opentelemetry-proto v1.11.0
 * (collector/metrics/v1/metrics_service.proto, metrics/v1/metrics.proto, common/v1/common.proto,
 * resource/v1/resource.proto), flattened into one package with field numbers and types unchanged. Fields the
 * intake does not read (descriptions, start times, temporality, exemplars, exponential buckets, scope, schema
 * URLs, entity refs, string-table indexes) are left out, so protobufjs skips them on the wire and in JSON.
 */
const SOURCE = `
syntax = "proto3";
package otlp;

message ExportMetricsServiceRequest {
  repeated ResourceMetrics resource_metrics = 1;
}

message ResourceMetrics {
  Resource resource = 1;
  repeated ScopeMetrics scope_metrics = 2;
}

message Resource {
  repeated KeyValue attributes = 1;
}

message ScopeMetrics {
  repeated Metric metrics = 2;
}

message Metric {
  string name = 1;
  string unit = 3;
  oneof data {
    Gauge gauge = 5;
    Sum sum = 7;
    Histogram histogram = 9;
    ExponentialHistogram exponential_histogram = 10;
    Summary summary = 11;
  }
}

message Gauge {
  repeated NumberDataPoint data_points = 1;
}

message Sum {
  repeated NumberDataPoint data_points = 1;
}

message Histogram {
  repeated HistogramDataPoint data_points = 1;
}

message ExponentialHistogram {
  repeated ExponentialHistogramDataPoint data_points = 1;
}

message Summary {
  repeated SummaryDataPoint data_points = 1;
}

message NumberDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 time_unix_nano = 3;
  oneof value {
    double as_double = 4;
    sfixed64 as_int = 6;
  }
  uint32 flags = 8;
}

message HistogramDataPoint {
  repeated KeyValue attributes = 9;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  optional double sum = 5;
  repeated fixed64 bucket_counts = 6;
  repeated double explicit_bounds = 7;
  uint32 flags = 10;
  optional double min = 11;
  optional double max = 12;
}

message ExponentialHistogramDataPoint {
  repeated KeyValue attributes = 1;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  optional double sum = 5;
  uint32 flags = 10;
  optional double min = 12;
  optional double max = 13;
}

message SummaryDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  double sum = 5;
  message ValueAtQuantile {
    double quantile = 1;
    double value = 2;
  }
  repeated ValueAtQuantile quantile_values = 6;
  uint32 flags = 8;
}

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}

message ArrayValue {
  repeated AnyValue values = 1;
}

message KeyValueList {
  repeated KeyValue values = 1;
}

message KeyValue {
  string key = 1;
  AnyValue value = 2;
}
`;

export const ExportMetricsServiceRequest: Type = parse(SOURCE).root.lookupType(
  'otlp.ExportMetricsServiceRequest',
);
