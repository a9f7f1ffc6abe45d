import { z } from 'zod';

import { BaseEnv, serviceEnv } from './base-env';
import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('should apply the single-machine defaults when nothing is set', () => {
    const config = loadConfig(BaseEnv, {});
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/optralis');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('should name every bad variable when several are wrong', () => {
    const schema = serviceEnv('ingest', 8081, {});
    let caught: unknown;
    try {
      loadConfig(schema, { INGEST_PORT: 'eighty', NATS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const variables = (caught as ConfigError).problems.map((problem) => problem.variable).sort();
    expect(variables).toEqual(['INGEST_PORT', 'LOG_LEVEL', 'NATS_URL']);
    expect((caught as ConfigError).message).toContain('INGEST_PORT');
  });

  it('should give the service port its contract default when unset', () => {
    const config = loadConfig(serviceEnv('gateway', 8080, {}), {});
    expect(config.GATEWAY_PORT).toBe(8080);
  });

  it('should reject a port out of range when it is too large', () => {
    expect(() => loadConfig(serviceEnv('auth', 8082, {}), { AUTH_PORT: '70000' })).toThrow(/AUTH_PORT/);
  });

  it('should keep service-specific variables when the schema extends the base', () => {
    const schema = serviceEnv('alerting', 8083, { ALERTING_INSTANCES: z.coerce.number().default(1) });
    expect(loadConfig(schema, { ALERTING_INSTANCES: '3' }).ALERTING_INSTANCES).toBe(3);
  });
});
