import type { AnyValue, Attributes, HrTime, SeverityNumber, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** What otel-activity knows when it makes a record. */
export interface ActivityLogRecordInit {
  resource: Resource;
  instrumentationScope: InstrumentationScope;
  /** Milliseconds since the epoch (fractional). */
  timeMillis: number;
  severityNumber: SeverityNumber;
  severityText: string;
  eventName: string;
  /** Valid AnyValues only, no undefined values (the record is built from them as is). */
  attributes: Record<string, AnyValue>;
  spanContext?: SpanContext;
  /**
   * Every string in `attributes` already went through the masker. Only code of this
   * package sets it (the class is not exported), so the masking processor can skip
   * these records without trusting anyone else.
   */
  premasked: boolean;
}

/**
 * A log record made by otel-activity itself (HTTP activity, recorder API). It is a
 * complete OpenTelemetry ReadWriteLogRecord, exported like any other, but built
 * directly: its attributes are valid by construction, so the SDK's per-attribute
 * validation and deep copies (Logger.emit) are skipped on the hot path.
 */
export class ActivityLogRecord implements ReadWriteLogRecord {
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  spanContext?: SpanContext;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly attributes: Attributes;
  severityText?: string;
  severityNumber?: SeverityNumber;
  body?: AnyValue;
  eventName?: string;
  droppedAttributesCount = 0;
  readonly premasked: boolean;

  constructor(init: ActivityLogRecordInit) {
    const seconds = Math.floor(init.timeMillis / 1000);
    this.hrTime = [seconds, Math.round((init.timeMillis - seconds * 1000) * 1e6)];
    this.hrTimeObserved = this.hrTime;
    this.resource = init.resource;
    this.instrumentationScope = init.instrumentationScope;
    this.attributes = init.attributes as Attributes;
    this.severityNumber = init.severityNumber;
    this.severityText = init.severityText;
    this.eventName = init.eventName;
    this.premasked = init.premasked;
    if (init.spanContext !== undefined) this.spanContext = init.spanContext;
  }

  setAttribute(key: string, value?: AnyValue): this {
    if (value === undefined) delete (this.attributes as Record<string, unknown>)[key];
    else (this.attributes as Record<string, AnyValue>)[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key] as AnyValue);
    return this;
  }

  setBody(body: AnyValue): this {
    this.body = body;
    return this;
  }

  setEventName(eventName: string): this {
    this.eventName = eventName;
    return this;
  }

  setSeverityNumber(severityNumber: SeverityNumber): this {
    this.severityNumber = severityNumber;
    return this;
  }

  setSeverityText(severityText: string): this {
    this.severityText = severityText;
    return this;
  }
}
