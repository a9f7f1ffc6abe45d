import type { ParsedRequestOf } from '@optralis/contracts';

import { AuthError, CommonErrorCode } from './auth-error';

export type Actor = ParsedRequestOf<'rpc.auth.users.get'>['actor'];
export type Role = Actor['role'];

const RANK: Record<Role, number> = { observer: 0, editor: 1, admin: 2, owner: 3 };

export function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function requireRole(actor: Actor, minimum: Role): void {
  if (!atLeast(actor.role, minimum)) {
    throw new AuthError(CommonErrorCode.Forbidden, `this action needs the ${minimum} role`);
  }
}
