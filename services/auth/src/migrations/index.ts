import type { MigrationInterface } from 'typeorm';

/** The auth schema's own migrations, in order (after the service kit's first one). */
export const authMigrations: (new () => MigrationInterface)[] = [];
