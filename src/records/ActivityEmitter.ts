import { type Context, context as contextApi, isSpanContextValid, ROOT_CONTEXT, type SpanContext, trace } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import { stats } from '../internal/stats.ts';
import type { Severity } from '../internal/severity.ts';
import type { ActivityFields } from './ActivityFields.ts';
import { ActivityLogRecord } from './ActivityLogRecord.ts';

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
   * Emits one record.
   *
   * @param severity the level's OpenTelemetry severity (`SEVERITY.info`, …).
   * @param timeMillis milliseconds since the epoch (fractional).
   * @param fields the attributes, every string already masked and bounded.
   * @param otelContext the context whose span the record belongs to (default: the active one).
   */
  emit(
    instrumentationScope: InstrumentationScope,
    eventName: string,
    severity: Severity,
    timeMillis: number,
    fields: ActivityFields,
    otelContext?: Context,
  ): void {
    stats.records++;
    try {
      const spanContext = this._traceContext ? spanContextOf(otelContext ?? contextApi.active()) : undefined;
      const record = new ActivityLogRecord(this.resource, instrumentationScope, eventName, severity, timeMillis, fields, spanContext);
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
