import { type Context, context as contextApi, isSpanContextValid, ROOT_CONTEXT, type SpanContext, trace } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import { stats } from '../internal/stats.ts';
import type { Severity } from '../internal/severity.ts';
import type { ActivityFields } from './ActivityFields.ts';
import { ActivityLogRecord } from './ActivityLogRecord.ts';

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
  /** The pipeline, in order (the same processors the LoggerProvider runs for other logs). */
  processors: readonly LogRecordProcessor[];
  /** Put the current span's ids on records (only when tracing is on: it costs a context lookup). */
  traceContext: boolean;
}

/**
 * Emits otel-activity's own records into the pipeline: builds an ActivityLogRecord and
 * hands it to each processor in order, as the SDK's Logger would, minus the attribute
 * re-validation. Never throws: a stage that fails drops the record (it may not be
 * masked yet) and is counted.
 */
export class ActivityEmitter {
  readonly resource: Resource;
  private readonly _processors: readonly LogRecordProcessor[];
  private readonly _traceContext: boolean;
  private readonly _scopes = new Map<string, InstrumentationScope>();

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
      const ctx = otelContext ?? ROOT_CONTEXT;
      for (const processor of this._processors) processor.onEmit(record, ctx);
    } catch (error) {
      reportError('dropped', 'log record pipeline', error);
    }
  }
}

function spanContextOf(ctx: Context): SpanContext | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}
