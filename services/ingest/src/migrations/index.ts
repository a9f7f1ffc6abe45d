import type { MigrationInterface } from 'typeorm';

import { CreateMetricStore1764100000000 } from './1764100000000-create-metric-store';

/** The ingest schema's own migrations, in order (after the service kit's first one). */
export const ingestMigrations: (new () => MigrationInterface)[] = [CreateMetricStore1764100000000];
