/**
 * Counters of what happened to records, for `activity.stats()` and for tests: a
 * failure is never thrown into the app, so it must at least be counted.
 */
export interface ActivityStats {
  /** Records that entered the pipeline. */
  records: number;
  /** Records that reached no output: a pipeline stage failed, or a bounded queue was full. */
  dropped: number;
  /** Output failures: an exporter or writer failed or threw (counted per record and output). */
  failed: number;
  /** App hooks (identify, ignore, narrative templates) that threw. */
  hookErrors: number;
  /** otel-activity's own errors caught inside a request or an API call. */
  internalErrors: number;
  /** Errors the OpenTelemetry SDK reported (an export that timed out, a span export that failed). */
  sdkErrors: number;
}

/** The process-wide counters (one pipeline per process). */
export const stats: ActivityStats = {
  records: 0,
  dropped: 0,
  failed: 0,
  hookErrors: 0,
  internalErrors: 0,
  sdkErrors: 0,
};

/** A copy of the counters. */
export function snapshotStats(): ActivityStats {
  return { ...stats };
}

/** Zeroes the counters (tests, or a fresh start). */
export function resetStats(): void {
  for (const key of Object.keys(stats) as (keyof ActivityStats)[]) stats[key] = 0;
}
