import type { MigrationInterface } from 'typeorm';

import { CreateAuthTokens1763800000000 } from './1763800000000-create-auth-tokens';
import { CreateAuditLog1763800000001 } from './1763800000001-create-audit-log';

import { CreateIdentity1763700000000 } from './1763700000000-create-identity';
import { CreateMfa1763900000000 } from './1763900000000-create-mfa';
import { CreateSso1764000000000 } from './1764000000000-create-sso';
import { CreateStatusPages1764300000000 } from './1764300000000-create-status-pages';

/** The auth schema's own migrations, in order (after the service kit's first one). */
export const authMigrations: (new () => MigrationInterface)[] = [
  CreateIdentity1763700000000,
  CreateAuthTokens1763800000000,
  CreateAuditLog1763800000001,
  CreateMfa1763900000000,
  CreateSso1764000000000,
  CreateStatusPages1764300000000,
];
