import { InvalidIdError, sanitiseId } from './ids';
import { messages } from './messages';
import { rpcMethods } from './rpc';
import { SERVICE_NAMES } from './services';
import { STREAMS } from './streams';
import {
  alertSubject,
  auditSubject,
  deadletterSubject,
  hostEventSubject,
  metricsSubject,
  partitionOf,
  rpcSubject,
} from './subjects';

describe(sanitiseId.name, () => {
  it.each(['a.b', 'a*', 'a>', 'a b', 'tab\there', '', 'x'.repeat(129), 'new\nline'])(
    'should reject %j when it could break a subject',
    (value) => {
      expect(() => sanitiseId(value)).toThrow(InvalidIdError);
    },
  );

  it.each(['default', '4c4c4544-0031-3510-8052-b4c04f4d3232', 'web-01', 'host_1:db'])(
    'should keep %j unchanged when it is one safe token',
    (value) => {
      expect(sanitiseId(value)).toBe(value);
    },
  );
});

describe(metricsSubject.name, () => {
  it('should put the host on a stable partition when built twice', () => {
    const subject = metricsSubject({ tenantId: 'acme', hostId: 'web-01', partitions: 8 });
    expect(subject).toBe(metricsSubject({ tenantId: 'acme', hostId: 'web-01', partitions: 8 }));
    expect(subject).toMatch(/^metrics\.p[0-7]\.acme\.web-01$/);
  });

  it('should spread hosts over every partition when there are many hosts', () => {
    const seen = new Set(Array.from({ length: 400 }, (_, index) => partitionOf(`host-${index}`, 8)));
    expect(seen.size).toBe(8);
  });

  it('should refuse a tenant id with a wildcard when someone tries to subscribe wider', () => {
    expect(() => metricsSubject({ tenantId: '*', hostId: 'web-01' })).toThrow(/tenantId/);
    expect(() => metricsSubject({ tenantId: 'acme', hostId: 'web.01' })).toThrow(/hostId/);
  });

  it('should refuse a partition count that is not a positive integer', () => {
    expect(() => partitionOf('web-01', 0)).toThrow(RangeError);
  });
});

describe('subject builders', () => {
  it('should follow the families of ARCHITECTURE.md when given valid ids', () => {
    expect(hostEventSubject({ tenantId: 't1', hostId: 'h1', kind: 'offline' })).toBe(
      'events.t1.host.h1.offline',
    );
    expect(alertSubject({ tenantId: 't1', severity: 'critical', state: 'firing' })).toBe(
      'alerts.t1.critical.firing',
    );
    expect(auditSubject({ tenantId: 't1', service: 'auth' })).toBe('audit.t1.auth');
    expect(deadletterSubject('METRICS')).toBe('deadletter.METRICS');
    expect(rpcSubject('alerting', 'rules.list')).toBe('rpc.alerting.rules.list');
  });

  it('should land every message family inside its stream when built from the table', () => {
    const tenantId = 't1';
    const samples = {
      'metrics.report': metricsSubject({ tenantId, hostId: 'h1' }),
      'host.event': hostEventSubject({ tenantId, hostId: 'h1', kind: 'registered' }),
      'alerts.changed': alertSubject({ tenantId, severity: 'warning', state: 'resolved' }),
      'audit.recorded': auditSubject({ tenantId, service: 'gateway' }),
    };
    for (const [name, subject] of Object.entries(samples)) {
      const stream = STREAMS[messages[name as keyof typeof messages].stream];
      const prefix = stream.subjects[0].replace('>', '');
      expect(subject.startsWith(prefix)).toBe(true);
    }
  });

  it('should give every service a ping method when the RPC table is read', () => {
    for (const service of SERVICE_NAMES) expect(Object.keys(rpcMethods)).toContain(`rpc.${service}.ping`);
  });
});
