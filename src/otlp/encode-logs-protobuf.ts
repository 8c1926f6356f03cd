import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type ActivityFields, CONTRACT } from '../records/ActivityFields.ts';
import type { PendingNarrative } from '../narrative/PendingNarrative.ts';
import { GROUP_VALUES, keepGroupBytes, RememberedGroup, rememberedGroupBytes } from '../internal/RememberedGroup.ts';
import { UTF8 } from '../narrative/write-default-narrative.ts';
import { ActivityLogRecord, hasCurrentFields } from '../records/ActivityLogRecord.ts';
import { cachedStringField, encodeExportRequest, keyBytes, writeAnyValue, writeAttributes, writeKeyValue } from './encode-common-protobuf.ts';
import type { ProtobufWriter } from './ProtobufWriter.ts';
import { WireType } from './ProtobufReader.ts';

// Field numbers from opentelemetry-proto: collector/logs/v1/logs_service.proto, logs/v1/logs.proto.

/** Bytes a log record's length takes (records of 128 B to 16 KiB; others move a little). */
const RECORD_LENGTH_BYTES = 2;

/**
 * Encodes log records as a protobuf `ExportLogsServiceRequest`, the bytes
 * OpenTelemetry's own ProtobufLogsSerializer writes for them (records grouped by
 * resource, then by instrumentation scope, in the order first seen; fields in the
 * same order), in one pass and without its per-character loops. otel-activity's own
 * records are encoded from their fields, so their attribute maps are never built;
 * other records from their attributes. Resources, scopes, keys, levels and event
 * names are encoded once and kept.
 */
export function encodeLogsProtobuf(records: readonly ReadableLogRecord[]): Uint8Array {
  return encodeExportRequest(records, 768, writeLogRecord);
}

const severityTexts = new Map<string, Uint8Array>();
const eventNames = new Map<string, Uint8Array>();

/** LogRecord, field 2 of ScopeLogs. */
function writeLogRecord(w: ProtobufWriter, record: ReadableLogRecord): void {
  const at = w.begin(2, RECORD_LENGTH_BYTES);
  w.tag(1, WireType.I64);
  w.hrTime(record.hrTime);
  if (record.severityNumber !== undefined && record.severityNumber !== 0) {
    w.tag(2, WireType.VARINT);
    w.varint(record.severityNumber);
  }
  if (record.severityText) w.raw(cachedStringField(severityTexts, 3, record.severityText));
  const pending = record instanceof ActivityLogRecord ? record.pendingNarrative : undefined;
  const body = pending !== undefined && writeNarrative(w, pending) ? undefined : record.body;
  if (typeof body === 'string') w.stringAnyValue(5, body);
  else if (body !== undefined) {
    const bodyAt = w.begin(5);
    writeAnyValue(w, body, 0);
    w.end(bodyAt);
  }
  if (hasCurrentFields(record)) writeFields(w, record.fields);
  else writeAttributes(w, 6, record.attributes);
  w.tag(7, WireType.VARINT);
  w.varint(record.droppedAttributesCount);
  const span = record.spanContext;
  if (span?.traceFlags) {
    w.tag(8, WireType.I32);
    w.fixed32(span.traceFlags);
  }
  if (span?.traceId) w.hex(9, span.traceId);
  if (span?.spanId) w.hex(10, span.spanId);
  w.tag(11, WireType.I64);
  w.hrTime(record.hrTimeObserved);
  if (record.eventName) w.raw(cachedStringField(eventNames, 12, record.eventName));
  w.end(at, RECORD_LENGTH_BYTES);
}

/**
 * The body (field 5) from a pending narrative, written from the record's fields:
 * `5{ 1: sentence }`. False, with nothing written, when a custom template makes it.
 */
function writeNarrative(w: ProtobufWriter, pending: PendingNarrative): boolean {
  const start = w.pos;
  const bodyAt = w.begin(5);
  const textAt = w.begin(1);
  if (!pending.write(w, UTF8)) {
    w.pos = start;
    return false;
  }
  w.end(textAt);
  w.end(bodyAt);
  return true;
}

/**
 * The attributes (field 6) of otel-activity's own record, from its fields, in the
 * order of CONTRACT (as `toAttributes` lists them), each key encoded beforehand.
 * Spelled out: a loop over the table would look fields up by computed name. Runs of
 * attributes whose values often all repeat from record to record (the kind of action,
 * its result, the request's method and path, who made it) are written as remembered
 * groups (see RememberedGroup): one copy while they repeat.
 */
function writeFields(w: ProtobufWriter, f: ActivityFields): void {
  const V = GROUP_VALUES;
  V[0] = f.type;
  V[1] = f.category;
  group(w, G.kind, f, writeKind);
  if (f.description !== undefined) writeKeyValue(w, 6, K.description, f.description);
  V[0] = f.result;
  V[1] = f.success;
  group(w, G.outcome, f, writeOutcome);
  if (f.durationMs !== undefined) writeKeyValue(w, 6, K.durationMs, f.durationMs);
  if (f.riskScore !== undefined) writeKeyValue(w, 6, K.riskScore, f.riskScore);
  if (f.data !== undefined) writeKeyValue(w, 6, K.data, f.data);
  if (f.requestId !== undefined) writeKeyValue(w, 6, K.requestId, f.requestId);
  V[0] = f.method;
  V[1] = f.path;
  V[2] = f.query;
  V[3] = f.urlFull;
  V[4] = f.route;
  V[5] = f.status;
  group(w, G.request, f, writeRequest);
  V[0] = f.clientAddress;
  V[1] = f.userAgent;
  V[2] = f.referer;
  V[3] = f.sessionId;
  V[4] = f.userId;
  V[5] = f.userName;
  V[6] = f.userRoles;
  V[7] = f.tenantId;
  group(w, G.who, f, writeWho);
  if (f.errorType !== undefined) writeKeyValue(w, 6, K.errorType, f.errorType);
  if (f.exceptionType !== undefined) writeKeyValue(w, 6, K.exceptionType, f.exceptionType);
  if (f.exceptionMessage !== undefined) writeKeyValue(w, 6, K.exceptionMessage, f.exceptionMessage);
  if (f.exceptionStacktrace !== undefined) writeKeyValue(w, 6, K.exceptionStacktrace, f.exceptionStacktrace);
  if (f.auditEventId !== undefined) writeKeyValue(w, 6, K.auditEventId, f.auditEventId);
  if (f.auditAction !== undefined) writeKeyValue(w, 6, K.auditAction, f.auditAction);
  if (f.auditResourceType !== undefined) writeKeyValue(w, 6, K.auditResourceType, f.auditResourceType);
  if (f.auditResourceId !== undefined) writeKeyValue(w, 6, K.auditResourceId, f.auditResourceId);
  if (f.auditDetails !== undefined) writeKeyValue(w, 6, K.auditDetails, f.auditDetails);
  if (f.auditOutcome !== undefined) writeKeyValue(w, 6, K.auditOutcome, f.auditOutcome);
  if (f.auditPersisted !== undefined) writeKeyValue(w, 6, K.auditPersisted, f.auditPersisted);
  if (f.extra !== undefined) writeAttributes(w, 6, f.extra);
}

/** Groups of attributes whose values often all repeat, set in GROUP_VALUES by {@link writeFields} in this order. */
const G = {
  kind: new RememberedGroup(2),
  outcome: new RememberedGroup(2),
  request: new RememberedGroup(6),
  who: new RememberedGroup(8),
};

/** Writes a group: its remembered bytes, or its attributes one by one (then kept when wanted). */
function group(w: ProtobufWriter, g: RememberedGroup, f: ActivityFields, write: (w: ProtobufWriter, f: ActivityFields) => void): void {
  const bytes = rememberedGroupBytes(g);
  if (bytes !== undefined) {
    w.raw(bytes);
    return;
  }
  const buf = w.buf;
  const from = w.pos;
  write(w, f);
  keepGroupBytes(g, w, buf, from, w.pos);
}

function writeKind(w: ProtobufWriter, f: ActivityFields): void {
  if (f.type !== undefined) writeKeyValue(w, 6, K.type, f.type);
  if (f.category !== undefined) writeKeyValue(w, 6, K.category, f.category);
}

function writeOutcome(w: ProtobufWriter, f: ActivityFields): void {
  if (f.result !== undefined) writeKeyValue(w, 6, K.result, f.result);
  if (f.success !== undefined) writeKeyValue(w, 6, K.success, f.success);
}

function writeRequest(w: ProtobufWriter, f: ActivityFields): void {
  if (f.method !== undefined) writeKeyValue(w, 6, K.method, f.method);
  if (f.path !== undefined) writeKeyValue(w, 6, K.path, f.path);
  if (f.query !== undefined) writeKeyValue(w, 6, K.query, f.query);
  if (f.urlFull !== undefined) writeKeyValue(w, 6, K.urlFull, f.urlFull);
  if (f.route !== undefined) writeKeyValue(w, 6, K.route, f.route);
  if (f.status !== undefined) writeKeyValue(w, 6, K.status, f.status);
}

function writeWho(w: ProtobufWriter, f: ActivityFields): void {
  if (f.clientAddress !== undefined) writeKeyValue(w, 6, K.clientAddress, f.clientAddress);
  if (f.userAgent !== undefined) writeKeyValue(w, 6, K.userAgent, f.userAgent);
  if (f.referer !== undefined) writeKeyValue(w, 6, K.referer, f.referer);
  if (f.sessionId !== undefined) writeKeyValue(w, 6, K.sessionId, f.sessionId);
  if (f.userId !== undefined) writeKeyValue(w, 6, K.userId, f.userId);
  if (f.userName !== undefined) writeKeyValue(w, 6, K.userName, f.userName);
  if (f.userRoles !== undefined) writeKeyValue(w, 6, K.userRoles, f.userRoles);
  if (f.tenantId !== undefined) writeKeyValue(w, 6, K.tenantId, f.tenantId);
}

/** The key of each contract attribute, encoded. */
const K = Object.fromEntries(CONTRACT.map(([name, field]) => [field, keyBytes(name)])) as Record<(typeof CONTRACT)[number][1], Uint8Array>;
