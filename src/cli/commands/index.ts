import type { CliCommand } from '../CliCommand.ts';
import { anonymizeCommand } from './anonymize.ts';
import { exportCommand } from './export.ts';
import { migrateCommand } from './migrate.ts';
import { purgeCommand } from './purge.ts';
import { searchCommand } from './search.ts';
import { statsCommand } from './stats.ts';
import { trailCommand } from './trail.ts';
import { verifyCommand } from './verify.ts';

/** The `otel-activity audit` commands, in the order help lists them. */
export const AUDIT_COMMANDS: readonly CliCommand[] = [
  migrateCommand,
  trailCommand,
  searchCommand,
  statsCommand,
  exportCommand,
  verifyCommand,
  purgeCommand,
  anonymizeCommand,
];
