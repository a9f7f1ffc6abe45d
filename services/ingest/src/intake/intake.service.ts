import { Inject, Injectable } from '@nestjs/common';
import type { MetricsReport } from '@optralis/contracts';
import { MetricsRegistry } from '@optralis/observability';
import type { Counter } from 'prom-client';

import type { IngestConfig } from '../config';
import {
  type NormaliseContext,
  type NormalisedRequest,
  normaliseAgentReport,
  normaliseInfluxLineProtocol,
  normaliseOtlp,
  normaliseRemoteWrite,
} from '../formats';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { decodeBody } from './body.reader';
import { IngestTokenVerifier } from './ingest-token.verifier';
import { IntakeError, badRequest } from './intake.errors';
import { type PublishSummary, ReportPublisher } from './report.publisher';
import { TokenRateLimiter } from './token-rate.limiter';

export const INTAKE_FORMATS = ['agent', 'influx', 'prometheus', 'otlp'] as const;
export type IntakeFormat = (typeof INTAKE_FORMATS)[number];

export interface IntakeRequest {
  format: IntakeFormat;
  authorization: string | undefined;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer;
  /** Line-protocol precision from `?precision=`. */
  precision?: string;
}

export interface IntakeResult extends PublishSummary {
  reports: MetricsReport[];
  dropped: number;
}

const PRECISIONS = new Set(['ns', 'us', 'ms', 's']);

/** Authenticate, decode, normalise, publish: the whole intake of one request. */
@Injectable()
export class IntakeService {
  private readonly limiter: TokenRateLimiter;
  private readonly samplesReceived: Counter<'format'>;
  private readonly samplesDropped: Counter<'format' | 'reason'>;
  private readonly reportsPublished: Counter<'format'>;

  constructor(
    private readonly tokens: IngestTokenVerifier,
    private readonly publisher: ReportPublisher,
    metrics: MetricsRegistry,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {
    this.limiter = new TokenRateLimiter(config.INGEST_RATE_LIMIT_PER_TOKEN);
    this.samplesReceived = metrics.counter({
      name: 'ingest_samples_received_total',
      help: 'Samples accepted into METRICS, by wire format.',
      labelNames: ['format'],
    });
    this.samplesDropped = metrics.counter({
      name: 'ingest_intake_samples_dropped_total',
      help: 'Samples dropped during normalisation (non-finite values, unusable names, native histograms), by format and reason.',
      labelNames: ['format', 'reason'],
    });
    this.reportsPublished = metrics.counter({
      name: 'ingest_reports_published_total',
      help: 'Normalised reports acknowledged by JetStream, by wire format.',
      labelNames: ['format'],
    });
  }

  async accept(request: IntakeRequest): Promise<IntakeResult> {
    const identity = await this.tokens.verify(request.authorization);
    const retryAfter = this.limiter.take(identity.tokenId);
    if (retryAfter > 0) {
      throw new IntakeError(429, 'Too many requests', 'the rate limit of this ingest token is exceeded', {
        retryAfterSeconds: retryAfter,
      });
    }
    const body = await decodeBody({
      body: request.body,
      // Remote-write always says `Content-Encoding: snappy`: its body is a snappy block the normaliser opens.
      contentEncoding:
        request.format === 'prometheus' && isSnappy(request.contentEncoding)
          ? undefined
          : request.contentEncoding,
      maxDecompressedBytes: this.config.INGEST_MAX_DECOMPRESSED_BYTES,
    });
    const context: NormaliseContext = {
      tenantId: identity.tenantId,
      receivedAt: new Date(),
      maxFutureSeconds: this.config.INGEST_MAX_FUTURE_SECONDS,
      retentionSeconds: this.config.INGEST_RETENTION_RAW_DAYS * 86_400,
      maxDecompressedBytes: this.config.INGEST_MAX_DECOMPRESSED_BYTES,
    };
    const normalised = this.normalise(request, body, context);
    const summary = await this.publisher.publish(normalised.reports);
    const samples = normalised.reports.reduce((total, report) => total + report.samples.length, 0);
    this.samplesReceived.inc({ format: request.format }, samples);
    this.reportsPublished.inc({ format: request.format }, summary.published);
    if (normalised.dropped.nonFinite > 0)
      this.samplesDropped.inc({ format: request.format, reason: 'non_finite' }, normalised.dropped.nonFinite);
    if (normalised.dropped.invalidName > 0)
      this.samplesDropped.inc(
        { format: request.format, reason: 'invalid_name' },
        normalised.dropped.invalidName,
      );
    return {
      ...summary,
      reports: normalised.reports,
      dropped: normalised.dropped.nonFinite + normalised.dropped.invalidName,
    };
  }

  private normalise(request: IntakeRequest, body: Buffer, context: NormaliseContext): NormalisedRequest {
    switch (request.format) {
      case 'agent':
        return normaliseAgentReport(parseJson(body), context);
      case 'influx': {
        const precision = request.precision ?? 'ns';
        if (!PRECISIONS.has(precision))
          throw badRequest(`precision "${precision}" is not one of ns, us, ms, s`, { field: 'precision' });
        return normaliseInfluxLineProtocol(body.toString('utf8'), precision as 'ns', context);
      }
      case 'prometheus':
        return normaliseRemoteWrite(body, context);
      case 'otlp':
        return normaliseOtlp(body, otlpContentType(request.contentType), context);
    }
  }
}

function isSnappy(encoding: string | undefined): boolean {
  return (encoding ?? '').trim().toLowerCase() === 'snappy';
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

function otlpContentType(contentType: string | undefined): 'application/x-protobuf' | 'application/json' {
  const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'application/x-protobuf';
  if (type === 'application/json') return 'application/json';
  throw new IntakeError(
    415,
    'Unsupported media type',
    'OTLP/HTTP takes application/x-protobuf or application/json',
  );
}
