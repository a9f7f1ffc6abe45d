import type { HostScope } from '@optralis/contracts';

export interface ScopedHost {
  hostId: string;
  tags: readonly string[];
}

/** Empty lists cover the whole tenant; otherwise the host must be listed (if any are) and carry every tag. */
export function coversHost(scope: HostScope, host: ScopedHost): boolean {
  if (scope.hostIds.length > 0 && !scope.hostIds.includes(host.hostId)) return false;
  return scope.tags.every((tag) => host.tags.includes(tag));
}
