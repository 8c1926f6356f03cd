import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { AuditStore } from '../audit/AuditStore.ts';
import type { ResolvedConfig } from '../config/options.ts';
import type { Masker } from '../masking/create-masker.ts';
import type { ActivityEmitter } from '../records/ActivityEmitter.ts';
import type { TextCleaner } from '../records/create-text-cleaner.ts';

/** The running pipeline, as the recorder API and the hooks need it. */
export interface ActivityRuntime {
  readonly config: ResolvedConfig;
  /** For logs of other code through the OpenTelemetry Logs API. */
  readonly loggerProvider: LoggerProvider;
  /** For otel-activity's own records. */
  readonly emitter: ActivityEmitter;
  readonly masker: Masker;
  /** Masks and bounds one string for a premasked record. */
  readonly clean: TextCleaner;
  /** The audit store, opened at first use (shared with the audit exporter). */
  auditStore(): Promise<AuditStore>;
  /** Flushes every output (and the span exporter). */
  forceFlush(): Promise<void>;
}

let current: ActivityRuntime | undefined;

/** The started pipeline, or undefined before `startActivity` (records then go nowhere). */
export function getRuntime(): ActivityRuntime | undefined {
  return current;
}

export function setRuntime(runtime: ActivityRuntime | undefined): void {
  current = runtime;
}
