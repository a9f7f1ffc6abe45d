import { join } from 'node:path';

import { pingSubject } from '@optralis/contracts';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';

import { createPingRpc } from './ping.rpc';
import { newIdentity, packageVersion } from './service-identity';

describe(createPingRpc.name, () => {
  it('should answer with the identity and the uptime when pinged', async () => {
    const identity = { ...newIdentity('alerting', '1.4.2'), startedAt: new Date(Date.now() - 61_000) };
    const PingRpc = createPingRpc('alerting');
    const sut = new (PingRpc as new (value: typeof identity) => { ping(): Promise<unknown> })(identity);
    await expect(sut.ping()).resolves.toEqual({
      service: 'alerting',
      version: '1.4.2',
      instanceId: identity.instanceId,
      uptimeSeconds: 61,
    });
  });

  it('should listen on the service ping subject when the controller is built', () => {
    const PingRpc = createPingRpc('reports');
    const patterns = Reflect.getMetadata(PATTERN_METADATA, PingRpc.prototype.ping as object) as string[];
    expect(patterns).toEqual([pingSubject('reports')]);
  });
});

describe(packageVersion.name, () => {
  it('should read the version from the package.json beside the folder when given src', () => {
    expect(packageVersion(join(__dirname))).toBe('0.1.0');
  });

  it('should give every instance its own id when identities are created', () => {
    expect(newIdentity('ai', '0.1.0').instanceId).not.toBe(newIdentity('ai', '0.1.0').instanceId);
  });
});
