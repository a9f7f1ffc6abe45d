import type { Actor, Role } from '@optralis/contracts';

/**
 * Who is calling, as the gateway verified it. The tenant always comes from the credential, never from
 * the request. An API token acts as itself: its id stands where a user id would.
 */
export interface GatewayActor {
  credential: 'session' | 'api_token';
  /** The user's id, or the API token's id. */
  userId: string;
  tenantId: string;
  role: Role;
  /** Sessions only: the session the access token belongs to. */
  sessionId?: string;
  /** API tokens only: the name it was given. */
  tokenName?: string;
}

const RANK: Record<Role, number> = { observer: 0, editor: 1, admin: 2, owner: 3 };

export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** The `actor` every downstream RPC request carries (contracts `Actor` / `TokenActor`, strict). */
export function downstreamActor(actor: GatewayActor): Actor {
  return {
    userId: actor.userId,
    tenantId: actor.tenantId,
    role: actor.role,
    ...(actor.sessionId ? { sessionId: actor.sessionId } : {}),
  };
}

/** The actor of a session, with its session id required (logout, switch tenant). */
export function sessionActor(actor: GatewayActor): Actor & { sessionId: string } {
  if (!actor.sessionId) throw new Error('a session actor has a session id');
  return { ...downstreamActor(actor), sessionId: actor.sessionId };
}
