import type { TenantId } from '@optralis/db';
import type { TokenRole } from '@optralis/contracts';

import type { TokenKind } from './token-format';

/** A stored token as the services see it; the hash never leaves the auth service. */
export interface TokenRecord {
  id: string;
  kind: TokenKind;
  tenantId: TenantId;
  name: string;
  role: TokenRole | null;
  prefix: string;
  hash: Buffer;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewToken {
  id: string;
  kind: TokenKind;
  name: string;
  role: TokenRole | null;
  prefix: string;
  hash: Buffer;
  createdBy: string;
  expiresAt: Date | null;
}
