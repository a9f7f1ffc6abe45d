import { Inject, Injectable } from '@nestjs/common';
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';

type Unregistered<T> = Omit<T, 'registers'>;

export interface HttpObservation {
  method: string;
  route: string;
  statusCode: number;
  durationSeconds: number;
}

/** One prom-client registry per service, labelled with the service name, served on GET /metrics. */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = this.histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  counter<Label extends string>(configuration: Unregistered<CounterConfiguration<Label>>): Counter<Label> {
    return new Counter({ ...configuration, registers: [this.registry] });
  }

  gauge<Label extends string>(configuration: Unregistered<GaugeConfiguration<Label>>): Gauge<Label> {
    return new Gauge({ ...configuration, registers: [this.registry] });
  }

  histogram<Label extends string>(
    configuration: Unregistered<HistogramConfiguration<Label>>,
  ): Histogram<Label> {
    return new Histogram({ ...configuration, registers: [this.registry] });
  }

  observeHttp({ method, route, statusCode, durationSeconds }: HttpObservation): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, durationSeconds);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
