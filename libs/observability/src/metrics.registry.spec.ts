import { MetricsRegistry } from './metrics.registry';

describe(MetricsRegistry.name, () => {
  it('should expose a service counter with the service label when a service registers one', async () => {
    const sut = new MetricsRegistry({ service: 'alerting', version: '1.0.0', logLevel: 'info' });
    const fired = sut.counter({
      name: 'alerts_fired_total',
      help: 'Alerts fired.',
      labelNames: ['severity'],
    });

    fired.inc({ severity: 'critical' });

    expect(await sut.exposition()).toContain('alerts_fired_total{severity="critical",service="alerting"} 1');
  });
});
