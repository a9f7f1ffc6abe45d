import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ServiceName } from '@optralis/contracts';

export interface ServiceIdentity {
  service: ServiceName;
  version: string;
  instanceId: string;
  startedAt: Date;
}

export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

/** The version in the package.json next to a service's `dist/` or `src/` folder. */
export function packageVersion(directory: string): string {
  const { version } = JSON.parse(readFileSync(join(directory, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return version;
}

export function newIdentity(service: ServiceName, version: string): ServiceIdentity {
  return { service, version, instanceId: randomUUID(), startedAt: new Date() };
}
