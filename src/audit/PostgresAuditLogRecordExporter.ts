import { context, diag } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResolvedAuditConfig } from '../config/options.ts';
import { uuidv7 } from '../internal/uuidv7.ts';
import { ATTR_AUDIT_PERSISTED } from '../semconv.ts';
import { auditEventFromLogRecord } from './audit-event-from-log-record.ts';
import type { AuditEventInput, AuditStore } from './AuditStore.ts';
import { openAuditStore } from './open-audit-store.ts';
import { AuditSpool } from './spool/AuditSpool.ts';

/** Options of {@link PostgresAuditLogRecordExporter}. */
export interface PostgresAuditLogRecordExporterOptions {
  /** `resolveConfig().audit`: database, spool directory and bound, batch size. */
  config: ResolvedAuditConfig;
  /** Opens the store at the first audit record. Default: `openAuditStore(config)`. */
  openStore?: () => Promise<AuditStore>;
  /** First retry delay after a failed write, in milliseconds; doubles up to the max. Default 1000. */
  initialBackoffMillis?: number;
  /** Longest retry delay, in milliseconds. Default 60000. */
  maxBackoffMillis?: number;
}

/** Counters of {@link PostgresAuditLogRecordExporter}, since it was created. */
export interface AuditExporterStats {
  /** Rows inserted (directly or replayed from the spool). */
  written: number;
  /** Events already stored (same event id), skipped. */
  duplicates: number;
  /** Events written to the spool while the database was unreachable. */
  spooled: number;
  /** Events inserted from the spool. */
  replayed: number;
  /** Events lost: the spool was full or a spool file was damaged. Reported through diag. */
  dropped: number;
  /** Records that could not be converted. Reported through diag. */
  failed: number;
  /** Spool batch files and bytes waiting now. */
  spoolFiles: number;
  spoolBytes: number;
  /** True while writes go to the spool and retries run. */
  outage: boolean;
  /** The last write error, if any. */
  lastError?: string;
}

type Counters = Omit<AuditExporterStats, 'spoolFiles' | 'spoolBytes' | 'outage' | 'lastError'>;

/**
 * Writes audit records (those with `audit.action` and without `audit.persisted=true`) to
 * the audit store, one batch per export call (split at `batchSize`). Run it behind a
 * BatchLogRecordProcessor with `maxExportBatchSize: batchSize` and
 * `scheduledDelayMillis: flushIntervalMillis`.
 *
 * Never loses a record silently: when the database is unreachable the batch goes to a
 * spool on disk (bounded by `spoolMaxBytes`), the export reports SUCCESS, and the spool is
 * replayed oldest first with exponential backoff (unref'd timers); a spool left by an
 * earlier process is replayed at start. The store's event-id check makes every replay
 * exactly-once. Records the spool cannot take are counted in `dropped` and reported
 * through diag, and that export reports FAILED. `export()` never throws.
 */
export class PostgresAuditLogRecordExporter implements LogRecordExporter {
  private readonly _config: ResolvedAuditConfig;
  private readonly _openStore: () => Promise<AuditStore>;
  private readonly _initialBackoff: number;
  private readonly _maxBackoff: number;
  private readonly _spool: AuditSpool;
  private readonly _counters: Counters = { written: 0, duplicates: 0, spooled: 0, replayed: 0, dropped: 0, failed: 0 };
  private _store: Promise<AuditStore> | undefined;
  private _queue: Promise<unknown> = Promise.resolve();
  private _outage = false;
  private _backoff: number;
  private _timer: NodeJS.Timeout | undefined;
  private _lastError: string | undefined;
  private _shutdown = false;

  constructor(options: PostgresAuditLogRecordExporterOptions) {
    this._config = options.config;
    this._openStore = options.openStore ?? (() => openAuditStore(this._config));
    this._initialBackoff = options.initialBackoffMillis ?? 1000;
    this._maxBackoff = options.maxBackoffMillis ?? 60_000;
    this._backoff = this._initialBackoff;
    this._spool = new AuditSpool({ dir: this._config.spoolDir, maxBytes: this._config.spoolMaxBytes });
    if (this._spool.files > 0) this._scheduleReplay(0); // left by an earlier process
  }

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let events: AuditEventInput[];
    try {
      events = this._convert(records);
    } catch (err) {
      this._counters.failed += records.length;
      diag.error('otel-activity: audit records could not be converted', err);
      resultCallback({ code: ExportResultCode.FAILED, error: err as Error });
      return;
    }
    if (events.length === 0) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    this._enqueue(() => this._deliver(events)).then(resultCallback, (err: Error) =>
      resultCallback({ code: ExportResultCode.FAILED, error: err }),
    );
  }

  /** Waits for writes in flight, then replays what it can of the spool. */
  async forceFlush(): Promise<void> {
    await this._enqueue(async () => {
      while (this._spool.files > 0 && (await this._replayOne())) {
        // keep going while the database takes them
      }
    });
  }

  /** Flushes what can be flushed (the rest stays in the spool for the next start) and closes the store. */
  async shutdown(): Promise<void> {
    if (this._shutdown) return;
    await this.forceFlush();
    this._shutdown = true;
    if (this._timer) clearTimeout(this._timer);
    const store = this._store;
    this._store = undefined;
    if (store) await store.then((s) => s.close(), () => {});
  }

  /** The store this exporter writes to, opened at first use (shared with transactional recordAudit). */
  store(): Promise<AuditStore> {
    if (this._store === undefined) {
      const opening = this._openStore();
      this._store = opening;
      // A failed open is not kept: the next write tries again (the database may come back).
      opening.catch(() => {
        if (this._store === opening) this._store = undefined;
      });
    }
    return this._store;
  }

  /** A snapshot of the counters. */
  stats(): AuditExporterStats {
    const s: AuditExporterStats = { ...this._counters, spoolFiles: this._spool.files, spoolBytes: this._spool.bytes, outage: this._outage };
    if (this._lastError !== undefined) s.lastError = this._lastError;
    return s;
  }

  private _convert(records: ReadableLogRecord[]): AuditEventInput[] {
    const events: AuditEventInput[] = [];
    for (const record of records) {
      if (record.attributes?.[ATTR_AUDIT_PERSISTED] === true) continue; // already written in the caller's transaction
      const event = auditEventFromLogRecord(record);
      if (event === undefined) continue;
      // The id must be fixed before the event can be spooled, so replays deduplicate.
      if (event.eventId === '') event.eventId = uuidv7(event.occurredAt.getTime());
      events.push(event);
    }
    return events;
  }

  private async _deliver(events: AuditEventInput[]): Promise<ExportResult> {
    if (!this._outage && !this._shutdown) {
      try {
        await this._write(events, false);
        return { code: ExportResultCode.SUCCESS };
      } catch (err) {
        this._enterOutage(err as Error);
      }
    }
    return this._toSpool(events);
  }

  private async _write(events: AuditEventInput[], replay: boolean): Promise<void> {
    const store = await this.store();
    const { inserted, duplicates } = await context.with(suppressTracing(context.active()), () => store.append(events));
    this._counters.written += inserted;
    this._counters.duplicates += duplicates;
    if (replay) this._counters.replayed += inserted;
  }

  private async _toSpool(events: AuditEventInput[]): Promise<ExportResult> {
    try {
      if (await this._spool.write(events)) {
        this._counters.spooled += events.length;
        if (!this._shutdown) this._scheduleReplay(this._backoff);
        return { code: ExportResultCode.SUCCESS };
      }
      this._counters.dropped += events.length;
      const error = new Error(
        `otel-activity: audit spool ${this._config.spoolDir} is full (${this._spool.bytes} of ${this._config.spoolMaxBytes} bytes); ${events.length} audit records dropped (${this._counters.dropped} in total)`,
      );
      diag.error(error.message);
      return { code: ExportResultCode.FAILED, error };
    } catch (err) {
      this._counters.dropped += events.length;
      diag.error(`otel-activity: ${events.length} audit records dropped: the spool could not be written`, err);
      return { code: ExportResultCode.FAILED, error: err as Error };
    }
  }

  /** Stores the oldest spool file. @returns true when it went in (or was empty). */
  private async _replayOne(): Promise<boolean> {
    const file = await this._spool.oldest();
    if (file === undefined) return true;
    try {
      if (file.events.length > 0) await this._write(file.events, true);
    } catch (err) {
      this._enterOutage(err as Error);
      return false;
    }
    if (file.unreadable > 0) {
      this._counters.dropped += file.unreadable;
      diag.error(`otel-activity: ${file.unreadable} damaged audit records in spool file ${file.name} dropped`);
    }
    await this._spool.remove(file.name);
    return true;
  }

  private _scheduleReplay(delayMillis: number): void {
    if (this._timer !== undefined || this._shutdown) return;
    const jitter = delayMillis * (0.8 + Math.random() * 0.4); // spread retries of many processes
    this._timer = setTimeout(() => {
      this._timer = undefined;
      void this._enqueue(async () => {
        if (this._shutdown) return;
        if (await this._replayOne()) {
          if (this._spool.files > 0) return this._scheduleReplay(0); // one file per turn: exports interleave
          if (this._outage) diag.info('otel-activity: audit database reachable again; spool replayed');
          this._outage = false;
          this._backoff = this._initialBackoff;
          return;
        }
        this._backoff = Math.min(this._maxBackoff, this._backoff * 2);
        this._scheduleReplay(this._backoff);
      });
    }, jitter);
    this._timer.unref();
  }

  private _enterOutage(err: Error): void {
    this._lastError = err.message;
    if (!this._outage) {
      this._outage = true;
      diag.warn(`otel-activity: audit database unreachable, audit records go to the spool ${this._config.spoolDir} and are retried: ${err.message}`);
    } else {
      diag.debug(`otel-activity: audit spool replay failed, retrying: ${err.message}`);
    }
  }

  /** Runs `task` after the previous ones: writes, replays and flushes never overlap. */
  private _enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this._queue.then(task, task);
    this._queue = run.catch(() => {});
    return run;
  }
}
