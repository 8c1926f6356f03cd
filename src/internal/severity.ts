import { SeverityNumber } from '@opentelemetry/api';
import type { ActivityLevelName } from '../constants.ts';

/** An OpenTelemetry severity number and the text shown in `[INFO]`. */
export interface Severity {
  readonly number: SeverityNumber;
  readonly text: string;
}

/** The severity of each level. */
export const SEVERITY: Readonly<Record<ActivityLevelName, Severity>> = Object.freeze({
  debug: { number: SeverityNumber.DEBUG, text: 'DEBUG' },
  info: { number: SeverityNumber.INFO, text: 'INFO' },
  warn: { number: SeverityNumber.WARN, text: 'WARN' },
  error: { number: SeverityNumber.ERROR, text: 'ERROR' },
  fatal: { number: SeverityNumber.FATAL, text: 'FATAL' },
});

/** The level of a severity number (any number in a level's range of four maps to it). */
export function levelOfSeverity(severityNumber: number | undefined): ActivityLevelName {
  if (severityNumber === undefined || severityNumber < SeverityNumber.INFO) return severityNumber !== undefined && severityNumber > 0 ? 'debug' : 'info';
  if (severityNumber < SeverityNumber.WARN) return 'info';
  if (severityNumber < SeverityNumber.ERROR) return 'warn';
  if (severityNumber < SeverityNumber.FATAL) return 'error';
  return 'fatal';
}
