import type { StorageResolution } from '@optralis/contracts';

import type { IngestConfig } from '../config';

/** Injection token of the settings metric queries read from the environment. */
export const QUERY_SETTINGS = Symbol('QUERY_SETTINGS');

export interface QuerySettings {
  /** How long each resolution keeps its data: older ranges are read from the next coarser one. */
  retentionDays: Record<StorageResolution, number>;
}

export function querySettings(
  config: Pick<
    IngestConfig,
    'INGEST_RETENTION_RAW_DAYS' | 'INGEST_RETENTION_1M_DAYS' | 'INGEST_RETENTION_1H_DAYS'
  >,
): QuerySettings {
  return {
    retentionDays: {
      raw: config.INGEST_RETENTION_RAW_DAYS,
      '1m': config.INGEST_RETENTION_1M_DAYS,
      '1h': config.INGEST_RETENTION_1H_DAYS,
    },
  };
}
