// Prometheus remote-write 1.0 requests: a prompb WriteRequest (protobufjs) compressed with snappy,
// one request per host and interval holding its series, each with one sample and label instance=<host>.
import { createRequire } from 'node:module';

import { metricCatalogue, metricValue } from './metric-catalogue.mjs';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs');
const { compressSync, uncompressSync } = require('snappy');

export const REMOTE_WRITE_PATH = '/api/v1/write';
export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'optralis-bench/1.0',
};

// prompb/types.proto and remote.proto, the parts remote-write 1.0 uses.
const prompb = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = prompb.lookupType('prometheus.WriteRequest');
const Label = prompb.lookupType('prometheus.Label');

// Field keys (field number << 3 | wire type) of the messages above.
const TIMESERIES_KEY = (1 << 3) | 2;
const LABEL_KEY = (1 << 3) | 2;
const SAMPLE_KEY = (2 << 3) | 2;
const SAMPLE_VALUE_KEY = (1 << 3) | 1;
const SAMPLE_TIMESTAMP_KEY = (2 << 3) | 0;

export function remoteWriteInstance(hostIndex) {
  return `node-${String(hostIndex + 1).padStart(5, '0')}`;
}

/** Prometheus metric names: dots become underscores (`cpu.usage_pct` → `cpu_usage_pct`). */
function prometheusName(name) {
  return name.replace(/[^A-Za-z0-9_:]/g, '_');
}

/**
 * `hosts` simulated exporters with `metrics` series each. Every Label is encoded once up front with
 * protobufjs; `body(hostIndex, seq, timeMs)` then writes the WriteRequest around them and compresses it.
 */
export function remoteWriteFleet({ hosts, metrics }) {
  const catalogue = metricCatalogue(metrics);
  const encodedLabels = (hostIndex) =>
    catalogue.map((metric) => {
      const labels = {
        __name__: prometheusName(metric.name),
        instance: remoteWriteInstance(hostIndex),
        job: 'optralis-bench',
        ...metric.labels,
      };
      return Object.keys(labels)
        .sort()
        .map((name) => Label.encode({ name, value: labels[name] }).finish());
    });
  const hostLabels = Array.from({ length: hosts }, (_, hostIndex) => encodedLabels(hostIndex));

  return {
    path: REMOTE_WRITE_PATH,
    contentType: REMOTE_WRITE_HEADERS['content-type'],
    extraHeaders: REMOTE_WRITE_HEADERS,
    samplesPerReport: metrics,
    hostId: remoteWriteInstance,
    body(hostIndex, _seq, timeMs) {
      const writer = protobuf.Writer.create();
      const series = hostLabels[hostIndex];
      for (let index = 0; index < series.length; index++) {
        writer.uint32(TIMESERIES_KEY).fork();
        for (const label of series[index]) writer.uint32(LABEL_KEY).bytes(label);
        const value = metricValue(catalogue[index], hostIndex, index, timeMs);
        writer.uint32(SAMPLE_KEY).fork();
        writer.uint32(SAMPLE_VALUE_KEY).double(value).uint32(SAMPLE_TIMESTAMP_KEY).int64(timeMs);
        writer.ldelim().ldelim();
      }
      return compressSync(writer.finish());
    },
  };
}

/** Decodes a request body back into plain objects (the benchmark checks its own encoding with it). */
export function decodeWriteRequest(body) {
  return WriteRequest.toObject(WriteRequest.decode(uncompressSync(body)), { longs: Number });
}
