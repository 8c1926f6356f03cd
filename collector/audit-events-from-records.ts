import { createHash } from 'node:crypto';
import type { AuditEventInput } from '../src/audit/AuditStore.ts';
import { auditEventFromLogRecord } from '../src/audit/audit-event-from-log-record.ts';
import type { DecodedLogRecord, DecodedValue } from '../src/otlp/DecodedLogRecord.ts';
import { ATTR_AUDIT_EVENT_ID, ATTR_AUDIT_PERSISTED } from '../src/semconv.ts';

/**
 * The audit events among decoded OTLP log records: those with `audit.action`, except
 * the ones already written inside the application's own transaction
 * (`audit.persisted`: if that transaction rolled back, the event did not happen).
 * An event without `audit.event_id` (a sender other than otel-activity) gets an id
 * derived from its content, so a retried request still deduplicates.
 */
export function auditEventsFromRecords(records: readonly DecodedLogRecord[]): AuditEventInput[] {
  const events: AuditEventInput[] = [];
  for (const r of records) {
    const persisted = r.attributes[ATTR_AUDIT_PERSISTED];
    if (persisted === true || persisted === 'true') continue;
    const event = auditEventFromLogRecord({
      attributes: r.attributes,
      // 0 means "unset" in OTLP; pass only set times (the observed time is the fallback).
      timeUnixNano: r.timeUnixNano === 0n ? undefined : r.timeUnixNano.toString(),
      observedTimeUnixNano: r.observedTimeUnixNano === 0n ? undefined : r.observedTimeUnixNano.toString(),
      severityNumber: r.severityNumber,
      body: r.body,
      traceId: r.traceId,
      spanId: r.spanId,
    });
    if (event === undefined) continue;
    const id = r.attributes[ATTR_AUDIT_EVENT_ID];
    if (typeof id !== 'string' || id === '') event.eventId = `otlp-sha256:${contentDigest(r)}`;
    events.push(event);
  }
  return events;
}

/** A digest of what identifies a record: its resource, scope, time, body and attributes. */
function contentDigest(r: DecodedLogRecord): string {
  const canonical = JSON.stringify([r.resource, r.scope.name, r.timeUnixNano.toString(), r.observedTimeUnixNano.toString(), r.body, r.attributes], replacer);
  return createHash('sha256').update(canonical).digest('hex');
}

function replacer(_key: string, value: DecodedValue | bigint): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]));
  }
  return value;
}
