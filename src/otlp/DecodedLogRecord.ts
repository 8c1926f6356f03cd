/**
 * An OTLP attribute value decoded to plain JavaScript: strings, booleans, numbers
 * (64-bit integers beyond `Number.MAX_SAFE_INTEGER` become decimal strings, so the
 * value stays exact and JSON-serialisable), `Uint8Array` for bytes, arrays, and
 * objects for key-value lists. `null` stands for an empty AnyValue.
 */
export type DecodedValue = string | number | boolean | Uint8Array | null | DecodedValue[] | { [key: string]: DecodedValue };

/** Attributes by key; a later duplicate key wins, as in the collector's pdata. */
export type DecodedAttributes = Record<string, DecodedValue>;

/** The instrumentation scope a log record was emitted under. */
export interface DecodedScope {
  name: string;
  version: string;
  attributes: DecodedAttributes;
}

/**
 * One log record of an `ExportLogsServiceRequest`, flattened with its resource and
 * scope (OTLP groups records by resource, then by scope).
 */
export interface DecodedLogRecord {
  /** Resource attributes (`service.name`, `deployment.environment.name`, ...). */
  resource: DecodedAttributes;
  scope: DecodedScope;
  /** Nanoseconds since the Unix epoch; 0n when the sender did not set it. */
  timeUnixNano: bigint;
  /** Nanoseconds since the Unix epoch; 0n when the sender did not set it. */
  observedTimeUnixNano: bigint;
  /** OpenTelemetry SeverityNumber (INFO 9, WARN 13, ERROR 17, FATAL 21); 0 unspecified. */
  severityNumber: number;
  /** '' when unset. */
  severityText: string;
  /** The record body (otel-activity puts the narrative sentence here); null when unset. */
  body: DecodedValue;
  attributes: DecodedAttributes;
  droppedAttributesCount: number;
  /** W3C trace flags (lowest byte); 0 when unset. */
  flags: number;
  /** 32 lowercase hex characters, absent when the record has no trace context. */
  traceId?: string;
  /** 16 lowercase hex characters, absent when the record has no trace context. */
  spanId?: string;
  /** `activity.<type>` for otel-activity records; absent when unset. */
  eventName?: string;
}
