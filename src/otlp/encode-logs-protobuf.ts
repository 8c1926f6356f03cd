import type { AnyValue, Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type ActivityFields, CONTRACT } from '../records/ActivityFields.ts';
import { ActivityLogRecord } from '../records/ActivityLogRecord.ts';
import { ProtobufWriter } from './ProtobufWriter.ts';
import { WireType } from './ProtobufReader.ts';

// Field numbers from opentelemetry-proto: collector/logs/v1/logs_service.proto,
// logs/v1/logs.proto, common/v1/common.proto, resource/v1/resource.proto.

/** Deeper values are written as this string (values from `toAnyValue` are already bounded). */
const MAX_DEPTH = 32;
const TOO_DEEP = '[Truncated: too deep]';
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
/** Bytes a log record's length takes (records of 128 B to 16 KiB; others move a little). */
const RECORD_LENGTH_BYTES = 2;
/** Bytes the length of a batch's resource_logs and scope_logs takes (up to 2 MiB). */
const BATCH_LENGTH_BYTES = 3;

/**
 * Encodes log records as a protobuf `ExportLogsServiceRequest`, the bytes
 * OpenTelemetry's own ProtobufLogsSerializer writes for them (records grouped by
 * resource, then by instrumentation scope, in the order first seen; fields in the
 * same order), in one pass and without its per-character loops. otel-activity's own
 * records are encoded from their fields, so their attribute maps are never built;
 * other records from their attributes. Resources and scopes are encoded once per
 * object and kept.
 */
export function encodeLogsProtobuf(records: readonly ReadableLogRecord[]): Uint8Array {
  const w = new ProtobufWriter(Math.max(4096, records.length * 768));
  for (const [resource, scopes] of groupByResourceAndScope(records)) {
    const resourceLogs = w.begin(1, BATCH_LENGTH_BYTES);
    w.raw(resourceBytes(resource));
    for (const [scope, scoped] of scopes) {
      const scopeLogs = w.begin(2, BATCH_LENGTH_BYTES);
      w.raw(scopeBytes(scope));
      for (const record of scoped) writeLogRecord(w, record);
      if (scope.schemaUrl) w.string(3, scope.schemaUrl);
      w.end(scopeLogs, BATCH_LENGTH_BYTES);
    }
    if (resource.schemaUrl) w.string(3, resource.schemaUrl);
    w.end(resourceLogs, BATCH_LENGTH_BYTES);
  }
  return w.finish();
}

function groupByResourceAndScope(records: readonly ReadableLogRecord[]): Map<Resource, Map<InstrumentationScope, ReadableLogRecord[]>> {
  const byResource = new Map<Resource, Map<InstrumentationScope, ReadableLogRecord[]>>();
  for (const record of records) {
    let byScope = byResource.get(record.resource);
    if (byScope === undefined) byResource.set(record.resource, (byScope = new Map()));
    const list = byScope.get(record.instrumentationScope);
    if (list === undefined) byScope.set(record.instrumentationScope, [record]);
    else list.push(record);
  }
  return byResource;
}

/** LogRecord, field 2 of ScopeLogs. */
function writeLogRecord(w: ProtobufWriter, record: ReadableLogRecord): void {
  const at = w.begin(2, RECORD_LENGTH_BYTES);
  w.tag(1, WireType.I64);
  w.hrTime(record.hrTime);
  if (record.severityNumber !== undefined && record.severityNumber !== 0) {
    w.tag(2, WireType.VARINT);
    w.varint(record.severityNumber);
  }
  if (record.severityText) w.raw(constantField(3, record.severityText));
  const body = record.body;
  if (typeof body === 'string') w.stringAnyValue(5, body);
  else if (body !== undefined) {
    const at = w.begin(5);
    writeAnyValue(w, body, 0);
    w.end(at);
  }
  if (record instanceof ActivityLogRecord && record.attributeMap === undefined) writeFields(w, record.fields);
  else writeAttributes(w, 6, record.attributes, 0);
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
  if (record.eventName) w.raw(constantField(12, record.eventName));
  w.end(at, RECORD_LENGTH_BYTES);
}

/**
 * The attributes of otel-activity's own record, from its fields, in the order of
 * `CONTRACT` (as `toAttributes` would list them), each key encoded beforehand.
 */
function writeFields(w: ProtobufWriter, f: ActivityFields): void {
  if (f.type !== undefined) attribute(w, K.type, f.type);
  if (f.category !== undefined) attribute(w, K.category, f.category);
  if (f.description !== undefined) attribute(w, K.description, f.description);
  if (f.result !== undefined) attribute(w, K.result, f.result);
  if (f.success !== undefined) attribute(w, K.success, f.success);
  if (f.durationMs !== undefined) attribute(w, K.durationMs, f.durationMs);
  if (f.riskScore !== undefined) attribute(w, K.riskScore, f.riskScore);
  if (f.data !== undefined) attribute(w, K.data, f.data);
  if (f.requestId !== undefined) attribute(w, K.requestId, f.requestId);
  if (f.method !== undefined) attribute(w, K.method, f.method);
  if (f.path !== undefined) attribute(w, K.path, f.path);
  if (f.query !== undefined) attribute(w, K.query, f.query);
  if (f.urlFull !== undefined) attribute(w, K.urlFull, f.urlFull);
  if (f.route !== undefined) attribute(w, K.route, f.route);
  if (f.status !== undefined) attribute(w, K.status, f.status);
  if (f.clientAddress !== undefined) attribute(w, K.clientAddress, f.clientAddress);
  if (f.userAgent !== undefined) attribute(w, K.userAgent, f.userAgent);
  if (f.referer !== undefined) attribute(w, K.referer, f.referer);
  if (f.sessionId !== undefined) attribute(w, K.sessionId, f.sessionId);
  if (f.userId !== undefined) attribute(w, K.userId, f.userId);
  if (f.userName !== undefined) attribute(w, K.userName, f.userName);
  if (f.userRoles !== undefined) attribute(w, K.userRoles, f.userRoles);
  if (f.tenantId !== undefined) attribute(w, K.tenantId, f.tenantId);
  if (f.errorType !== undefined) attribute(w, K.errorType, f.errorType);
  if (f.exceptionType !== undefined) attribute(w, K.exceptionType, f.exceptionType);
  if (f.exceptionMessage !== undefined) attribute(w, K.exceptionMessage, f.exceptionMessage);
  if (f.exceptionStacktrace !== undefined) attribute(w, K.exceptionStacktrace, f.exceptionStacktrace);
  if (f.auditEventId !== undefined) attribute(w, K.auditEventId, f.auditEventId);
  if (f.auditAction !== undefined) attribute(w, K.auditAction, f.auditAction);
  if (f.auditResourceType !== undefined) attribute(w, K.auditResourceType, f.auditResourceType);
  if (f.auditResourceId !== undefined) attribute(w, K.auditResourceId, f.auditResourceId);
  if (f.auditDetails !== undefined) attribute(w, K.auditDetails, f.auditDetails);
  if (f.auditOutcome !== undefined) attribute(w, K.auditOutcome, f.auditOutcome);
  if (f.auditPersisted !== undefined) attribute(w, K.auditPersisted, f.auditPersisted);
  if (f.extra !== undefined) writeAttributes(w, 6, f.extra, 0);
}

/** Attribute (KeyValue, field 6 of LogRecord) with a key encoded beforehand (`0a len key`). */
function attribute(w: ProtobufWriter, key: Uint8Array, value: AnyValue): void {
  if (typeof value === 'string') w.stringKeyValue(6, key, value);
  else if ((typeof value === 'number' || typeof value === 'boolean') && w.scalarKeyValue(6, key, value)) return;
  else {
    const at = w.begin(6);
    w.raw(key);
    const inner = w.begin(2);
    writeAnyValue(w, value, 0);
    w.end(inner);
    w.end(at);
  }
}

/** Repeated KeyValue `field`, one per own attribute. */
function writeAttributes(w: ProtobufWriter, field: number, attributes: Attributes | Record<string, AnyValue>, depth: number): void {
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    writeKeyValue(w, field, key, attributes[key] as AnyValue, depth);
  }
}

/** KeyValue `field`: key (1), AnyValue (2). */
function writeKeyValue(w: ProtobufWriter, field: number, key: string, value: AnyValue | undefined, depth: number): void {
  if (typeof value === 'string') {
    w.stringKeyValue(field, keyBytes(key), value);
    return;
  }
  const at = w.begin(field);
  w.string(1, key);
  const inner = w.begin(2);
  writeAnyValue(w, value, depth);
  w.end(inner);
  w.end(at);
}

/** The content of an AnyValue (one of its fields; nothing for undefined or null). */
function writeAnyValue(w: ProtobufWriter, value: AnyValue | undefined, depth: number): void {
  switch (typeof value) {
    case 'string':
      w.string(1, value);
      return;
    case 'boolean':
      w.tag(2, WireType.VARINT);
      w.varint(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.tag(3, WireType.VARINT);
        w.int64(value);
      } else {
        w.tag(4, WireType.I64);
        w.double(value);
      }
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value === null) return;
  if (value instanceof Uint8Array) {
    w.bytes(7, value);
    return;
  }
  if (depth >= MAX_DEPTH) {
    w.string(1, TOO_DEEP);
    return;
  }
  if (Array.isArray(value)) {
    const array = w.begin(5);
    for (const item of value) {
      const at = w.begin(1);
      writeAnyValue(w, item, depth + 1);
      w.end(at);
    }
    w.end(array);
    return;
  }
  const kvlist = w.begin(6);
  writeAttributes(w, 1, value as Record<string, AnyValue>, depth + 1);
  w.end(kvlist);
}

const encodedResources = new WeakMap<Resource, Uint8Array>();
const encodedScopes = new WeakMap<InstrumentationScope, Uint8Array>();

/** Field 1 of ResourceLogs: the resource's attributes and dropped count. */
function resourceBytes(resource: Resource): Uint8Array {
  let bytes = encodedResources.get(resource);
  if (bytes === undefined) {
    const w = new ProtobufWriter(512);
    const at = w.begin(1, 2);
    writeAttributes(w, 1, resource.attributes, 0);
    w.tag(2, WireType.VARINT);
    w.varint(0);
    w.end(at, 2);
    bytes = w.finish().slice();
    // A resource still waiting for asynchronous attributes may change: encode it again next time.
    if (!resource.asyncAttributesPending) encodedResources.set(resource, bytes);
  }
  return bytes;
}

/** Field 1 of ScopeLogs: the instrumentation scope. */
function scopeBytes(scope: InstrumentationScope): Uint8Array {
  let bytes = encodedScopes.get(scope);
  if (bytes === undefined) {
    const w = new ProtobufWriter(256);
    const at = w.begin(1, 2);
    w.string(1, scope.name);
    if (scope.version) w.string(2, scope.version);
    const attributes = (scope as { attributes?: Attributes }).attributes;
    if (attributes) writeAttributes(w, 3, attributes, 0);
    const dropped = (scope as { droppedAttributesCount?: number }).droppedAttributesCount;
    if (dropped) {
      w.tag(4, WireType.VARINT);
      w.varint(dropped);
    }
    w.end(at, 2);
    encodedScopes.set(scope, (bytes = w.finish().slice()));
  }
  return bytes;
}

/** `0a len key`: the key part of a KeyValue, encoded once per name. */
function keyBytes(key: string): Uint8Array {
  let bytes = encodedKeys.get(key);
  if (bytes === undefined) {
    const w = new ProtobufWriter(key.length * 3 + 8);
    w.string(1, key);
    bytes = w.finish().slice();
    if (encodedKeys.size < MAX_CACHED) encodedKeys.set(key, bytes);
  }
  return bytes;
}

/** A whole string field (`severity_text`, `event_name`), encoded once per value. */
function constantField(field: number, value: string): Uint8Array {
  const cache = field === 3 ? encodedSeverityTexts : encodedEventNames;
  let bytes = cache.get(value);
  if (bytes === undefined) {
    const w = new ProtobufWriter(value.length * 3 + 8);
    w.string(field, value);
    bytes = w.finish().slice();
    if (cache.size < MAX_CACHED) cache.set(value, bytes);
  }
  return bytes;
}

/** Encodings kept per key or value; beyond this many, new ones are encoded each time (names of other code can be unbounded). */
const MAX_CACHED = 1024;
const encodedKeys = new Map<string, Uint8Array>();
const encodedSeverityTexts = new Map<string, Uint8Array>();
const encodedEventNames = new Map<string, Uint8Array>();

/** The key of each contract attribute, encoded. */
const K = Object.fromEntries(CONTRACT.map(([name, field]) => [field, keyBytes(name)])) as Record<(typeof CONTRACT)[number][1], Uint8Array>;
