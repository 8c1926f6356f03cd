import type { AnyValue, Attributes, HrTime, SeverityNumber, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { Severity } from '../internal/severity.ts';
import type { PendingNarrative } from '../narrative/PendingNarrative.ts';
import { ActivityFields } from './ActivityFields.ts';

/**
 * A log record made by otel-activity itself (HTTP activity, recorder API). It is a
 * complete OpenTelemetry ReadWriteLogRecord, exported like any other, but built
 * directly: its attributes are valid by construction, so the SDK's per-attribute
 * validation and deep copies (Logger.emit) are skipped on the hot path.
 *
 * The attributes live in {@link ActivityFields} until something reads
 * `attributes` (an exporter, a processor); from then on that map is the record's
 * truth, since the reader may change it. {@link fieldsOf} gives the current fields
 * either way.
 */
export class ActivityLogRecord implements ReadWriteLogRecord {
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  spanContext?: SpanContext;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  severityText?: string;
  severityNumber?: SeverityNumber;
  eventName?: string;
  droppedAttributesCount = 0;
  /**
   * The attributes, every string already masked and bounded (valid AnyValues only).
   * Only code of this package makes these records (the class is not exported), so the
   * masking processor can skip them without trusting anyone else. Authoritative while
   * the attribute map has not been built.
   */
  readonly fields: ActivityFields;
  /** The attribute map, once something has asked for it (from then on it is the record's truth). */
  attributeMap: Attributes | undefined = undefined;
  /**
   * The narrative, while it is still the body and nothing has read it as a string
   * (set by the narrative processor; the JSON lines and OTLP outputs write it from the fields).
   */
  pendingNarrative: PendingNarrative | undefined = undefined;
  private _body: AnyValue | undefined = undefined;

  /**
   * @param timeMillis milliseconds since the epoch (fractional).
   * @param severity the level's OpenTelemetry severity.
   */
  constructor(
    resource: Resource,
    instrumentationScope: InstrumentationScope,
    eventName: string,
    severity: Severity,
    timeMillis: number,
    fields: ActivityFields,
    spanContext: SpanContext | undefined,
  ) {
    const seconds = Math.floor(timeMillis / 1000);
    this.hrTime = [seconds, Math.round((timeMillis - seconds * 1000) * 1e6)];
    this.hrTimeObserved = this.hrTime;
    this.spanContext = spanContext;
    this.resource = resource;
    this.instrumentationScope = instrumentationScope;
    this.severityNumber = severity.number;
    this.severityText = severity.text;
    this.eventName = eventName;
    this.fields = fields;
  }


  /** The body; a pending narrative becomes its string at the first read. */
  get body(): AnyValue | undefined {
    const narrative = this.pendingNarrative;
    if (narrative !== undefined) {
      this.pendingNarrative = undefined;
      this._body = narrative.text();
    }
    return this._body;
  }

  set body(body: AnyValue | undefined) {
    this.pendingNarrative = undefined;
    this._body = body;
  }

  /** The OpenTelemetry attribute map, built at the first read. */
  get attributes(): Attributes {
    return (this.attributeMap ??= this.fields.toAttributes());
  }

  /** Replaces the attribute map (as on the SDK's own records, where it is a plain property). */
  set attributes(attributes: Attributes) {
    this.attributeMap = attributes;
  }

  setAttribute(key: string, value?: AnyValue): this {
    const attributes = this.attributes as Record<string, AnyValue>;
    if (value === undefined) delete attributes[key];
    else attributes[key] = value;
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

  /** Plain data for JSON.stringify and test matchers (the attributes are a getter). */
  toJSON(): Record<string, unknown> {
    return {
      hrTime: this.hrTime,
      spanContext: this.spanContext,
      instrumentationScope: this.instrumentationScope,
      severityText: this.severityText,
      severityNumber: this.severityNumber,
      body: this.body,
      eventName: this.eventName,
      attributes: this.attributes,
    };
  }
}

/** An otel-activity record whose fields are still its attributes (nothing has read its map). */
export function hasCurrentFields(record: ReadableLogRecord): record is ActivityLogRecord {
  return record instanceof ActivityLogRecord && record.attributeMap === undefined;
}

/**
 * The attributes of any record as fields: an otel-activity record's own (no copy)
 * while nothing has touched its map, else read from the map.
 */
export function fieldsOf(record: ReadableLogRecord): ActivityFields {
  return hasCurrentFields(record) ? record.fields : ActivityFields.fromAttributes(record.attributes);
}
