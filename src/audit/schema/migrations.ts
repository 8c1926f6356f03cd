import { V001_ACTIVITY_LOG } from './v001-activity-log.ts';
import { V002_ERASURES } from './v002-erasures.ts';
import { V003_TIME_INDEX } from './v003-time-index.ts';

/** One schema version: applied once, in order, inside one transaction. */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

/**
 * Every schema version, oldest first. Append new versions; never edit an applied one
 * (databases in the field have already run it).
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'activity_log: partitioned, hash-chained, append-only', statements: V001_ACTIVITY_LOG },
  { version: 2, name: 'activity_log_erasures: anonymisations also cover events that arrive later', statements: V002_ERASURES },
  { version: 3, name: 'activity_log_time_idx: all-tenant exports and searches in time order', statements: V003_TIME_INDEX },
];
