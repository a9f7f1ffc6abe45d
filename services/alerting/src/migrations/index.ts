import type { MigrationInterface } from 'typeorm';

import { CreateAlertingConfig1764200000000 } from './1764200000000-create-alerting-config';
import { CreateAlerts1764200000001 } from './1764200000001-create-alerts';
import { DedupPositionPartitions1764200000002 } from './1764200000002-dedup-position-partitions';

/** The alerting schema's own migrations, in order (after the service kit's first one). */
export const alertingMigrations: (new () => MigrationInterface)[] = [
  CreateAlertingConfig1764200000000,
  CreateAlerts1764200000001,
  DedupPositionPartitions1764200000002,
];
