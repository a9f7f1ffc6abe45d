import { parse, type Type } from 'protobufjs';

/**
 * Prometheus remote-write 1.0 WriteRequest: the messages read by the intake, from prometheus/prometheus v3.14.0
 * prompb/remote.proto and prompb/types.proto (field numbers and types unchanged). Exemplars (TimeSeries 3) and
 * metadata (WriteRequest 3) are left out, so protobufjs skips them; Histogram keeps no field because native
 * histograms are only counted.
 */
const SOURCE = `
syntax = "proto3";
package prometheus;

message WriteRequest {
  repeated TimeSeries timeseries = 1;
}

message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
  repeated Histogram histograms = 4;
}

message Label {
  string name = 1;
  string value = 2;
}

message Sample {
  double value = 1;
  int64 timestamp = 2;
}

message Histogram {}
`;

export const WriteRequest: Type = parse(SOURCE).root.lookupType('prometheus.WriteRequest');
