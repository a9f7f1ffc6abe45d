import { z } from 'zod';

import { SubjectId } from '../ids';

export const LIMITS = {
  samplesPerReport: 10_000,
  labelsPerSample: 32,
  labelKeyLength: 128,
  labelValueLength: 1024,
  metricNameLength: 200,
  tagsPerHost: 64,
  tagLength: 128,
} as const;

export const TenantIdSchema = SubjectId.describe('tenant id');
export const HostIdSchema = SubjectId.describe('host id');
export const IsoTime = z.iso.datetime({ offset: true });

export const MetricName = z
  .string()
  .min(1)
  .max(LIMITS.metricNameLength)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.:\-/]*$/,
    'metric names start with a letter or "_" and use letters, digits, "_", ".", ":", "-", "/"',
  );

export const Labels = z
  .record(z.string().min(1).max(LIMITS.labelKeyLength), z.string().max(LIMITS.labelValueLength))
  .refine((labels) => Object.keys(labels).length <= LIMITS.labelsPerSample, {
    message: `at most ${LIMITS.labelsPerSample} labels`,
  });

export const FiniteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

export const Sample = z.object({
  name: MetricName,
  value: FiniteNumber,
  labels: Labels.optional(),
});
export type Sample = z.infer<typeof Sample>;

export const Tags = z.array(z.string().min(1).max(LIMITS.tagLength)).max(LIMITS.tagsPerHost);

export const Inventory = z.record(z.string().max(128), z.unknown());
