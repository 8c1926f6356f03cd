import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import * as A from '../semconv.ts';
import type { AuditEventInput } from './AuditStore.ts';

/**
 * A log record as the collector's audit sink sees it after decoding OTLP/JSON: either
 * attributes as a plain map or as OTLP `KeyValue`s (`[{ key, value: { stringValue } }]`),
 * the time as `hrTime` or `timeUnixNano`, ids in `spanContext` or as `traceId`/`spanId`.
 */
export interface LogRecordLike {
  attributes?: Record<string, unknown> | readonly OtlpKeyValue[];
  hrTime?: readonly [number, number];
  timeUnixNano?: string | number | bigint;
  observedTimeUnixNano?: string | number | bigint;
  severityNumber?: number;
  body?: unknown;
  spanContext?: { traceId?: string; spanId?: string };
  traceId?: string;
  spanId?: string;
}

/** An OTLP KeyValue (JSON encoding). */
export interface OtlpKeyValue {
  key: string;
  value?: unknown;
}

const ZERO_ID = /^0*$/;

/**
 * The audit row of a record of the contract (src/semconv.ts), or undefined when it has
 * no `audit.action`. The time comes from `hrTime` / `timeUnixNano` (else now), the level
 * from `severityNumber` (below 9 debug, 9-12 info, 13-16 warn, 17-20 error, 21+ fatal),
 * trace and span ids from the span context, the outcome from `audit.outcome` (else
 * `activity.success === false` = failure), the description from `activity.description`
 * (else the body, when it is a string: the body is the narrative line, and the narrative
 * may name the user, which anonymisation could not remove from a chained column).
 * `audit.details` may be a map, a JSON string, or flattened `audit.details.*` keys.
 */
export function auditEventFromLogRecord(record: ReadableLogRecord | LogRecordLike): AuditEventInput | undefined {
  const rec = record as LogRecordLike;
  const attrs = attributeMap(rec.attributes);
  const action = str(attrs[A.ATTR_AUDIT_ACTION]);
  if (action === null || action === '') return undefined;

  const success = attrs[A.ATTR_ACTIVITY_SUCCESS];
  const outcomeAttr = str(attrs[A.ATTR_AUDIT_OUTCOME]);
  const traceId = str(rec.spanContext?.traceId ?? rec.traceId);
  const spanId = str(rec.spanContext?.spanId ?? rec.spanId);
  const body = anyValue(rec.body);
  return {
    eventId: str(attrs[A.ATTR_AUDIT_EVENT_ID]) ?? '',
    occurredAt: new Date(timeMillis(rec)),
    action,
    resourceType: str(attrs[A.ATTR_AUDIT_RESOURCE_TYPE]),
    resourceId: str(attrs[A.ATTR_AUDIT_RESOURCE_ID]),
    outcome: outcomeAttr === 'failure' || (outcomeAttr === null && (success === false || success === 'false')) ? 'failure' : 'success',
    userId: str(attrs[A.ATTR_USER_ID]),
    userName: str(attrs[A.ATTR_USER_NAME]),
    tenantId: str(attrs[A.ATTR_TENANT_ID]),
    sessionId: str(attrs[A.ATTR_SESSION_ID]),
    requestId: str(attrs[A.ATTR_REQUEST_ID]),
    ipAddress: str(attrs[A.ATTR_CLIENT_ADDRESS]),
    userAgent: str(attrs[A.ATTR_USER_AGENT_ORIGINAL]),
    category: str(attrs[A.ATTR_ACTIVITY_CATEGORY]),
    level: levelOf(rec.severityNumber),
    riskScore: num(attrs[A.ATTR_ACTIVITY_RISK_SCORE]),
    durationMs: num(attrs[A.ATTR_ACTIVITY_DURATION_MS]),
    description: str(attrs[A.ATTR_ACTIVITY_DESCRIPTION]) ?? (typeof body === 'string' ? body : null),
    traceId: traceId !== null && !ZERO_ID.test(traceId) ? traceId : null,
    spanId: spanId !== null && !ZERO_ID.test(spanId) ? spanId : null,
    details: detailsOf(attrs),
  };
}

function attributeMap(attributes: LogRecordLike['attributes']): Record<string, unknown> {
  if (attributes === undefined || attributes === null) return {};
  if (!Array.isArray(attributes)) return attributes as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const kv of attributes as readonly OtlpKeyValue[]) if (kv && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

/** Decodes an OTLP/JSON AnyValue (`{ stringValue }`, `{ kvlistValue: { values } }`, …); plain values pass through. */
function anyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (keys.length !== 1) return value;
  switch (keys[0]) {
    case 'stringValue':
    case 'boolValue':
      return v[keys[0]];
    case 'intValue':
    case 'doubleValue':
      return Number(v[keys[0]]);
    case 'bytesValue':
      return v.bytesValue;
    case 'arrayValue':
      return (((v.arrayValue as { values?: unknown[] })?.values) ?? []).map(anyValue);
    case 'kvlistValue': {
      const out: Record<string, unknown> = {};
      for (const kv of ((v.kvlistValue as { values?: OtlpKeyValue[] })?.values) ?? []) out[kv.key] = anyValue(kv.value);
      return out;
    }
    default:
      return value;
  }
}

function detailsOf(attrs: Record<string, unknown>): Record<string, unknown> | null {
  let details: unknown = attrs[A.ATTR_AUDIT_DETAILS];
  if (typeof details === 'string') {
    try {
      details = JSON.parse(details);
    } catch {
      details = { value: details };
    }
  }
  const prefix = `${A.ATTR_AUDIT_DETAILS}.`;
  for (const key of Object.keys(attrs)) {
    if (!key.startsWith(prefix)) continue;
    if (details === undefined || details === null || typeof details !== 'object') details = {};
    (details as Record<string, unknown>)[key.slice(prefix.length)] = attrs[key];
  }
  if (details === undefined || details === null) return null;
  return typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>) : { value: details };
}

function timeMillis(rec: LogRecordLike): number {
  if (Array.isArray(rec.hrTime) && rec.hrTime.length === 2 && (rec.hrTime[0] !== 0 || rec.hrTime[1] !== 0)) {
    return rec.hrTime[0] * 1000 + Math.floor(rec.hrTime[1] / 1e6);
  }
  for (const nanos of [rec.timeUnixNano, rec.observedTimeUnixNano]) {
    // 0 means "not set" in OTLP, whether it arrives as a number, a string or a bigint.
    if (nanos === undefined || nanos === null || nanos === '' || nanos === 0 || nanos === '0' || nanos === 0n) continue;
    try {
      return Number(BigInt(typeof nanos === 'number' ? Math.trunc(nanos) : nanos) / 1_000_000n);
    } catch {
      // not a number: try the next
    }
  }
  return Date.now();
}

function levelOf(severity: number | undefined): string {
  if (typeof severity !== 'number' || severity <= 0) return 'info';
  if (severity < 9) return 'debug';
  if (severity < 13) return 'info';
  if (severity < 17) return 'warn';
  if (severity < 21) return 'error';
  return 'fatal';
}

function str(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}
