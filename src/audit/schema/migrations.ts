import { V001_ACTIVITY_LOG } from './v001-activity-log.ts';
import { V002_ERASURES } from './v002-erasures.ts';

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
];
