import { type Context, context as contextApi, isSpanContextValid, ROOT_CONTEXT, type SpanContext, trace } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import { stats } from '../internal/stats.ts';
import type { Severity } from '../internal/severity.ts';
import type { ActivityFields } from './ActivityFields.ts';
import { ActivityLogRecord } from './ActivityLogRecord.ts';

/**
 * Records queued before the pipeline runs without waiting for the turn to end. It bounds
 * what a synchronous loop of `recordAction` calls holds in memory, and keeps the records
 * young: held for a whole turn, a thousand records survived the young generation's
 * collections (`recordAction` into the file: GC 11% of the time, 10% with this bound).
 * A busy server seldom closes this many responses in one turn (about one per ready connection).
 */
export const MAX_QUEUED_RECORDS = 128;

/** A record to emit: what otel-activity knows of it, besides its scope, resource and span context. */
export interface RecordParts {
  eventName: string;
  /** The level's OpenTelemetry severity (`SEVERITY.info`, …). */
  severity: Severity;
  /** Milliseconds since the epoch (fractional). */
  timeMillis: number;
  /** The attributes, every string already masked and bounded. */
  fields: ActivityFields;
}

export interface ActivityEmitterOptions {
  resource: Resource;
  /** The pipeline, in order: the LoggerProvider's stages that act on otel-activity's own records. */
  processors: readonly LogRecordProcessor[];
  /** Put the current span's ids on records (only when tracing is on: it costs a context lookup). */
  traceContext: boolean;
}

/**
 * Emits otel-activity's own records into the pipeline: builds an ActivityLogRecord and
 * hands it to each processor in order, as the SDK's Logger would, minus the attribute
 * re-validation. Never throws: a stage that fails drops the record (it may not be
 * masked yet) and is counted.
 *
 * Records reach the processors in batches: each record is built (with the span of the
 * moment) when emitted, queued, and the queue goes through the pipeline once the
 * current turn of the event loop is done (`setImmediate`), in emission order, or at
 * once when {@link MAX_QUEUED_RECORDS} wait. A busy server finishes many responses per
 * turn, and running the pipeline over them back to back costs less than once between
 * every two requests (see the README's Performance section). An idle one sees its
 * record in the pipeline within the same turn. {@link flush} empties the queue at once,
 * for flushes, shutdown and process exit.
 */
export class ActivityEmitter {
  readonly resource: Resource;
  private readonly _processors: readonly LogRecordProcessor[];
  private readonly _traceContext: boolean;
  private readonly _scopes = new Map<string, InstrumentationScope>();
  /** Records waiting for the pipeline, each followed by its context. */
  private _queue: (ActivityLogRecord | Context)[] = [];
  private _scheduled = false;
  /** The queue is going through the pipeline now (records emitted meanwhile join this flush). */
  private _flushing = false;

  constructor(options: ActivityEmitterOptions) {
    this.resource = options.resource;
    this._processors = options.processors;
    this._traceContext = options.traceContext;
  }

  /** The instrumentation scope of a recorder: one object per name and version (exporters group by identity). */
  scope(name: string, version?: string): InstrumentationScope {
    const key = version === undefined ? name : `${name}@${version}`;
    let scope = this._scopes.get(key);
    if (scope === undefined) this._scopes.set(key, (scope = version === undefined ? { name } : { name, version }));
    return scope;
  }

  /**
   * Emits one record under `instrumentationScope`.
   *
   * @param otelContext the context whose span the record belongs to (default: the active one).
   */
  emit(instrumentationScope: InstrumentationScope, parts: RecordParts, otelContext?: Context): void {
    stats.records++;
    try {
      const spanContext = this._traceContext ? spanContextOf(otelContext ?? contextApi.active()) : undefined;
      const record = new ActivityLogRecord(this.resource, instrumentationScope, parts.eventName, parts.severity, parts.timeMillis, parts.fields, spanContext);
      // Each record is followed by its context in the queue: two entries per record.
      if (this._queue.push(record, otelContext ?? ROOT_CONTEXT) >= 2 * MAX_QUEUED_RECORDS && !this._flushing) {
        this.flush();
        return;
      }
      if (!this._scheduled) {
        this._scheduled = true;
        setImmediate(this._flushScheduled);
      }
    } catch (error) {
      reportError('dropped', 'log record pipeline', error);
    }
  }

  /** Hands every queued record to the processors now, in the order they were emitted. */
  flush(): void {
    const outer = this._flushing; // a flush called from a processor (forceFlush, exit) runs nested
    this._flushing = true;
    try {
      while (this._queue.length > 0) {
        const queue = this._queue;
        this._queue = []; // a processor may emit (a hook recording an action): it queues for the next round
        for (let i = 0; i < queue.length; i += 2) this._process(queue[i] as ActivityLogRecord, queue[i + 1] as Context);
      }
    } finally {
      this._flushing = outer;
    }
  }

  private readonly _flushScheduled = (): void => {
    this._scheduled = false;
    this.flush();
  };

  private _process(record: ActivityLogRecord, ctx: Context): void {
    try {
      const processors = this._processors;
      for (let i = 0; i < processors.length; i++) processors[i]!.onEmit(record, ctx);
    } catch (error) {
      reportError('dropped', 'log record pipeline', error);
    }
  }
}

function spanContextOf(ctx: Context): SpanContext | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}
