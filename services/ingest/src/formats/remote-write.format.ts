import { Reader } from 'protobufjs';
import { uncompressSync } from 'snappy';

import { badRequest, IntakeError } from '../intake/intake.errors';
import { HostIdentities } from './host-identity';
import { int64ToNumber, type Int64 } from './int64';
import { LABELS_PER_SAMPLE, labelProblem, quote, setLabel, TOO_MANY_LABELS, type Labels } from './labels';
import { MetricNames } from './metric-name';
import { noneDropped, type NormaliseContext, type NormalisedRequest } from './normalise';
import { WriteRequest } from './proto/remote-write.proto';
import { ReportBatch } from './report-batch';
import { TimeBounds } from './time-bounds';

interface DecodedLabel {
  name: string;
  value: string;
}

interface DecodedSeries {
  labels: DecodedLabel[];
  samples: { value: number; timestamp: Int64 }[];
  histograms: unknown[];
}

const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
const NAME_LABEL = '__name__';
const INSTANCE_LABEL = 'instance';
const HOST_LABEL = 'host';

/** `POST /api/v1/write`: snappy-compressed WriteRequest; every float sample of a series becomes one sample. */
export function normaliseRemoteWrite(snappyBody: Buffer, context: NormaliseContext): NormalisedRequest {
  const timeseries = decode(snappyBody, context.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
  const bounds = new TimeBounds(context);
  const batch = new ReportBatch('prometheus', context);
  const hosts = new HostIdentities();
  const names = new MetricNames();
  const dropped = noneDropped();

  for (let position = 0; position < timeseries.length; position++) {
    const series = timeseries[position];
    dropped.unsupported += series.histograms.length;
    if (series.samples.length === 0) continue;
    const { name: written, host, labels } = splitLabels(series, position);
    const name = names.of(written);
    if (name === undefined) {
      dropped.invalidName += series.samples.length;
      continue;
    }
    const identity = hosts.of(host);
    for (const sample of series.samples) {
      const value = sample.value;
      if (!Number.isFinite(value)) {
        dropped.nonFinite++;
        continue;
      }
      const time = int64ToNumber(sample.timestamp);
      const problem = bounds.problem(time);
      if (problem !== undefined) throw refuse(position, written, problem);
      batch.add(identity, time, labels === undefined ? { name, value } : { name, value, labels });
    }
  }
  return { reports: batch.reports(), dropped };
}

function decode(body: Buffer, maxDecompressedBytes: number): DecodedSeries[] {
  let length: number;
  try {
    // The snappy block format opens with the uncompressed length as a varint: check it before allocating.
    length = Reader.create(body).uint32();
  } catch {
    throw badRequest('body is not valid snappy-compressed data');
  }
  if (length > maxDecompressedBytes) {
    throw new IntakeError(
      413,
      'Payload too large',
      `body decompresses to more than ${maxDecompressedBytes} bytes`,
    );
  }
  let raw: Buffer;
  try {
    raw = uncompressSync(body, { asBuffer: true }) as Buffer;
  } catch {
    throw badRequest('body is not valid snappy-compressed data');
  }
  try {
    return (WriteRequest.decode(raw) as unknown as { timeseries: DecodedSeries[] }).timeseries;
  } catch (error) {
    throw badRequest(`body is not a valid WriteRequest protobuf: ${(error as Error).message}`);
  }
}

function splitLabels(series: DecodedSeries, position: number) {
  let name = '';
  let instance: string | undefined;
  let hostLabel: string | undefined;
  for (const label of series.labels) {
    if (label.name === NAME_LABEL) name = label.value;
    else if (label.value === '') continue;
    else if (label.name === INSTANCE_LABEL) instance = label.value;
    else if (label.name === HOST_LABEL) hostLabel = label.value;
  }
  const identityLabel = instance !== undefined ? INSTANCE_LABEL : HOST_LABEL;
  const host = instance ?? hostLabel;
  if (host === undefined) {
    throw refuse(
      position,
      name,
      `missing label "${INSTANCE_LABEL}" or "${HOST_LABEL}", which names the host`,
    );
  }
  let labels: Labels | undefined;
  let count = 0;
  for (const label of series.labels) {
    // An empty value means "no such label" in Prometheus.
    if (label.name === NAME_LABEL || label.name === identityLabel || label.value === '') continue;
    const problem = labelProblem(label.name, label.value);
    if (problem !== undefined) throw refuse(position, name, problem);
    labels ??= {};
    if (setLabel(labels, label.name, label.value) && ++count > LABELS_PER_SAMPLE) {
      throw refuse(position, name, TOO_MANY_LABELS);
    }
  }
  return { name, host, labels };
}

function refuse(position: number, name: string, problem: string) {
  const field = `timeseries.${position}`;
  return badRequest(`${field}${name === '' ? '' : ` (${quote(name)})`}: ${problem}`, { field });
}
