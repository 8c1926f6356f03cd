import { diag } from '@opentelemetry/api';
import { type ActivityStats, stats } from './stats.ts';

/** At most one diag message per source in this window, so a dead collector cannot flood stderr. */
const REPORT_INTERVAL_MILLIS = 10_000;
const lastReport = new Map<string, { at: number; suppressed: number }>();

/**
 * Counts a failure and reports it through OpenTelemetry's diag, rate-limited per
 * source. Never throws: this is what every runtime catch block calls.
 *
 * @param counter which counter to increment (by `count`).
 * @param source a short stable name ("file output", "identify hook") for the message.
 */
export function reportError(counter: keyof ActivityStats, source: string, error: unknown, count = 1): void {
  stats[counter] += count;
  try {
    const now = Date.now();
    const last = lastReport.get(source);
    if (last !== undefined && now - last.at < REPORT_INTERVAL_MILLIS) {
      last.suppressed++;
      return;
    }
    const suppressed = last?.suppressed ? ` (${last.suppressed} more since the last report)` : '';
    lastReport.set(source, { at: now, suppressed: 0 });
    diag.error(`otel-activity: ${source} failed${suppressed}: ${describe(error)}`);
  } catch {
    // Reporting must never be the thing that breaks the app.
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
