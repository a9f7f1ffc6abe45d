import type { TokenActor, TokenRole } from '@optralis/contracts';
import { asTenantId, type TenantId } from '@optralis/db';

import { AlertingError, AlertingErrorCode } from './alerting.errors';

const RANK: Record<TokenRole, number> = { observer: 0, editor: 1, admin: 2, owner: 3 };

/** Every role reads; configuration and acknowledgements need editor (CONTRACT: observer is read-only). */
export function requireRole(actor: TokenActor, minimum: TokenRole): TenantId {
  if (RANK[actor.role] < RANK[minimum]) {
    throw new AlertingError(AlertingErrorCode.forbidden, `this action needs the ${minimum} role`);
  }
  return asTenantId(actor.tenantId);
}

export const canRead = (actor: TokenActor): TenantId => requireRole(actor, 'observer');
export const canWrite = (actor: TokenActor): TenantId => requireRole(actor, 'editor');
