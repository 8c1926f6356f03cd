import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { levelOfSeverity, SEVERITY } from '../internal/severity.ts';
import { JSON_STRING } from '../narrative/write-default-narrative.ts';
import { ActivityLogRecord, fieldsOf } from '../records/ActivityLogRecord.ts';
import type { ByteSink } from '../internal/ByteSink.ts';
import type { Resource } from '@opentelemetry/resources';
import type { ActivityFields } from '../records/ActivityFields.ts';
import {
  bytesOf,
  MAX_NUMBER_BYTES,
  maxStringBytes,
  putBoolean,
  putDigits,
  putNumber,
  putRememberedText,
  putString,
  RememberedText,
  writeJsonValue,
} from './json-bytes.ts';
import { putBytes } from '../internal/put-bytes.ts';
import { GROUP_VALUES, keepGroupBytes, RememberedGroup, rememberedGroupBytes } from '../internal/RememberedGroup.ts';

/** A member whose value often repeats from line to line: see {@link RememberedText}. */
interface RememberedMember {
  readonly name: Uint8Array;
  readonly text: RememberedText;
}

function remembered(fragment: string): RememberedMember {
  return { name: bytesOf(fragment), text: new RememberedText() };
}

/**
 * The constant fragments of a line, encoded once; members whose values often repeat
 * (the same event type, result, method, client address) also remember their last value.
 */
const K = {
  event: remembered('{"event":'),
  level: remembered('"level":'),
  narrative: bytesOf('"narrative":'),
  service: remembered('"service":'),
  action: bytesOf('"action":{'),
  actionType: remembered('"action_type":'),
  category: remembered('"category":'),
  description: remembered('"description":'),
  durationMs: bytesOf('"duration_ms":'),
  result: remembered('"result":'),
  success: bytesOf('"success":'),
  riskScore: bytesOf('"risk_score":'),
  timestamp: bytesOf('"timestamp":"'),
  data: bytesOf('"data":'),
  session: bytesOf('"session":{'),
  sessionId: bytesOf('"session_id":'),
  userId: remembered('"user_id":'),
  userName: remembered('"user_name":'),
  userRoles: bytesOf('"user_roles":'),
  tenantId: remembered('"tenant_id":'),
  ipAddress: remembered('"ip_address":'),
  userAgent: remembered('"user_agent":'),
  currentPage: remembered('"current_page":'),
  referrer: remembered('"referrer":'),
  context: bytesOf('"context":{'),
  requestId: bytesOf('"request_id":'),
  method: remembered('"method":'),
  url: remembered('"url":'),
  route: remembered('"route":'),
  statusCode: bytesOf('"status_code":'),
  traceId: bytesOf('"trace_id":'),
  spanId: bytesOf('"span_id":'),
  error: bytesOf('"error":{'),
  type: bytesOf('"type":'),
  message: bytesOf('"message":'),
  stacktrace: bytesOf('"stacktrace":'),
  audit: bytesOf('"audit":{'),
  eventId: bytesOf('"event_id":'),
  auditAction: bytesOf('"action":'),
  resourceType: bytesOf('"resource_type":'),
  resourceId: bytesOf('"resource_id":'),
  outcome: bytesOf('"outcome":'),
  details: bytesOf('"details":'),
  attributes: bytesOf('"attributes":'),
};
/** Groups of members whose values often all repeat (see {@link RememberedGroup}). */
const G = {
  head: new RememberedGroup(2),
  action: new RememberedGroup(3),
  result: new RememberedGroup(3),
  session: new RememberedGroup(9),
  request: new RememberedGroup(4),
};
/** Room for every constant fragment, comma, brace and the timestamp of a line. */
const FIXED_BYTES = Object.values(K).reduce((n, k) => n + ('name' in k ? k.name : k).length + 2, 0) + 64;

/**
 * Appends one record as a JSON line (without the newline) in the seed's shape, so the
 * seed's `jq` recipes work: `jq 'select(.action.duration_ms > 1000)'`,
 * `jq 'select(.session.user_id == "user123")'`.
 *
 * ```
 * { event, level, narrative, service,
 *   action:  { action_type, category, description, duration_ms, result, success, risk_score, timestamp, data },
 *   session: { session_id, user_id, user_name, user_roles, tenant_id, ip_address, user_agent, current_page, referrer },
 *   context: { request_id, method, url, route, status_code, trace_id, span_id },
 *   error?:  { type, message, stacktrace },
 *   audit?:  { event_id, action, resource_type, resource_id, outcome, details },
 *   attributes?: { anything else } }
 * ```
 * Absent values are left out. The bytes are what `JSON.stringify` of that object would
 * give, encoded as UTF-8. They are written directly (each value makes room for itself
 * and the line's constant fragments): building that object and stringifying it was the
 * largest cost of a request's record. Runs of members whose values often all repeat
 * (the groups in `G`) are copied from their last bytes while they do.
 */
export function writeActivityJson(out: ByteSink, record: ReadableLogRecord): void {
  const f = fieldsOf(record);
  const eventName = record.eventName ?? 'log';
  const level = record.severityText ?? SEVERITY[levelOfSeverity(record.severityNumber)].text;
  out.reserve(FIXED_BYTES);
  const V = GROUP_VALUES;

  V[0] = eventName;
  V[1] = level;
  let bytes = rememberedGroupBytes(G.head);
  let p = bytes !== undefined ? putGroup(out, out.pos, bytes) : group(out, G.head, out.buf, out.pos, writeHead(out, out.pos, eventName, level));
  p = narrative(out, p, record);

  const service = serviceNameOf(record.resource);
  V[0] = service;
  V[1] = f.type;
  V[2] = f.category;
  bytes = rememberedGroupBytes(G.action);
  p = bytes !== undefined ? putGroup(out, p, bytes) : group(out, G.action, out.buf, p, writeActionHead(out, p, service, f));
  p = rememberedProp(out, p, K.description, f.description);
  p = prop(out, p, K.durationMs, f.durationMs);
  V[0] = f.result;
  V[1] = f.success;
  V[2] = f.riskScore;
  bytes = rememberedGroupBytes(G.result);
  p = bytes !== undefined ? putGroup(out, p, bytes) : group(out, G.result, out.buf, p, writeResult(out, p, f));
  const buf = out.buf;
  p = putBytes(buf, p, K.timestamp);
  p = putTimestamp(buf, p, record.hrTime);
  buf[p++] = 44;
  p = prop(out, p, K.data, f.data);
  p = closeMember(out.buf, p);

  V[0] = f.sessionId;
  V[1] = f.userId;
  V[2] = f.userName;
  V[3] = f.userRoles;
  V[4] = f.tenantId;
  V[5] = f.clientAddress;
  V[6] = f.userAgent;
  V[7] = f.path;
  V[8] = f.referer;
  bytes = rememberedGroupBytes(G.session);
  p = bytes !== undefined ? putGroup(out, p, bytes) : group(out, G.session, out.buf, p, writeSession(out, p, f));

  p = putBytes(out.buf, p, K.context);
  p = prop(out, p, K.requestId, f.requestId);
  const url = f.urlFull ?? (f.query === undefined ? f.path : `${String(f.path)}?${String(f.query)}`);
  V[0] = f.method;
  V[1] = url;
  V[2] = f.route;
  V[3] = f.status;
  bytes = rememberedGroupBytes(G.request);
  p = bytes !== undefined ? putGroup(out, p, bytes) : group(out, G.request, out.buf, p, writeRequest(out, p, f, url));
  const spanContext = record.spanContext;
  if (spanContext !== undefined) {
    p = prop(out, p, K.traceId, spanContext.traceId);
    p = prop(out, p, K.spanId, spanContext.spanId);
  }
  p = closeMember(out.buf, p);

  if (f.exceptionType !== undefined || f.exceptionMessage !== undefined) {
    p = putBytes(out.buf, p, K.error);
    p = prop(out, p, K.type, f.exceptionType);
    p = prop(out, p, K.message, f.exceptionMessage);
    p = prop(out, p, K.stacktrace, f.exceptionStacktrace);
    p = closeMember(out.buf, p);
  }
  if (f.auditAction !== undefined) {
    p = putBytes(out.buf, p, K.audit);
    p = prop(out, p, K.eventId, f.auditEventId);
    p = prop(out, p, K.auditAction, f.auditAction);
    p = prop(out, p, K.resourceType, f.auditResourceType);
    p = prop(out, p, K.resourceId, f.auditResourceId);
    p = prop(out, p, K.outcome, f.auditOutcome);
    p = prop(out, p, K.details, f.auditDetails);
    p = closeMember(out.buf, p);
  }
  p = prop(out, p, K.attributes, f.extra);
  out.pos = close(out.buf, p);
}

// The groups of members, each written member by member (below) until its values repeat.

/** `{"event":…,"level":…,` */
function writeHead(out: ByteSink, p: number, eventName: string, level: string): number {
  p = rememberedProp(out, p, K.event, eventName);
  return rememberedProp(out, p, K.level, level);
}

/** `"service":…,"action":{"action_type":…,"category":…,` (the description, which often changes, is not in the group) */
function writeActionHead(out: ByteSink, p: number, service: unknown, f: ActivityFields): number {
  p = rememberedProp(out, p, K.service, service);
  p = putBytes(out.buf, p, K.action);
  p = rememberedProp(out, p, K.actionType, f.type);
  return rememberedProp(out, p, K.category, f.category);
}

/** `"result":…,"success":…,"risk_score":…,` */
function writeResult(out: ByteSink, p: number, f: ActivityFields): number {
  p = rememberedProp(out, p, K.result, f.result);
  p = prop(out, p, K.success, f.success);
  return prop(out, p, K.riskScore, f.riskScore);
}

/** `"session":{…},` */
function writeSession(out: ByteSink, p: number, f: ActivityFields): number {
  p = putBytes(out.buf, p, K.session);
  p = prop(out, p, K.sessionId, f.sessionId);
  p = rememberedProp(out, p, K.userId, f.userId);
  p = rememberedProp(out, p, K.userName, f.userName);
  p = prop(out, p, K.userRoles, f.userRoles);
  p = rememberedProp(out, p, K.tenantId, f.tenantId);
  p = rememberedProp(out, p, K.ipAddress, f.clientAddress);
  p = rememberedProp(out, p, K.userAgent, f.userAgent);
  p = rememberedProp(out, p, K.currentPage, f.path);
  p = rememberedProp(out, p, K.referrer, f.referer);
  return closeMember(out.buf, p);
}

/** `"method":…,"url":…,"route":…,"status_code":…,` (inside `context`) */
function writeRequest(out: ByteSink, p: number, f: ActivityFields, url: unknown): number {
  p = rememberedProp(out, p, K.method, f.method);
  p = rememberedProp(out, p, K.url, url);
  p = rememberedProp(out, p, K.route, f.route);
  return prop(out, p, K.statusCode, f.status);
}

/**
 * After a group was written member by member: keeps its bytes when wanted. Called as
 * `group(out, g, out.buf, p, writeX(out, p, …))`: arguments are evaluated in order, so
 * `buf` and `from` are the buffer and position from before the write, and `p` its end.
 */
function group(out: ByteSink, g: RememberedGroup, buf: Buffer, from: number, p: number): number {
  keepGroupBytes(g, out, buf, from, p);
  return p;
}

/** Puts a group's remembered bytes, with room after them for every constant fragment of the line. */
function putGroup(out: ByteSink, p: number, bytes: Uint8Array): number {
  let buf = out.buf;
  const room = bytes.length + FIXED_BYTES;
  if (p + room > buf.length) ({ buf, p } = makeRoom(out, p, room));
  return putBytes(buf, p, bytes);
}

/**
 * Puts `"name":value,` when the value is set (the comma is taken back by
 * {@link close} if nothing follows), making room for it and, after it, for every
 * constant fragment of the line (so those need no check). A map or array goes through
 * the sink, which makes room as it goes.
 */
function prop(out: ByteSink, p: number, name: Uint8Array, value: unknown): number {
  if (value === undefined) return p;
  let buf = out.buf;
  if (typeof value === 'string') {
    const room = name.length + maxStringBytes(value) + 1 + FIXED_BYTES;
    if (p + room > buf.length) ({ buf, p } = makeRoom(out, p, room));
    p = putBytes(buf, p, name);
    p = putString(buf, p, value);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    const room = name.length + MAX_NUMBER_BYTES + 1 + FIXED_BYTES;
    if (p + room > buf.length) ({ buf, p } = makeRoom(out, p, room));
    p = putBytes(buf, p, name);
    p = typeof value === 'number' ? putNumber(buf, p, value) : putBoolean(buf, p, value);
  } else {
    out.pos = p;
    out.reserve(name.length);
    out.pos = putBytes(out.buf, out.pos, name);
    writeJsonValue(out, value);
    out.reserve(1 + FIXED_BYTES);
    buf = out.buf;
    p = out.pos;
  }
  buf[p++] = 44;
  return p;
}

/** `"narrative":"…",`: a pending narrative written from the fields, else the body. */
function narrative(out: ByteSink, p: number, record: ReadableLogRecord): number {
  const pending = record instanceof ActivityLogRecord ? record.pendingNarrative : undefined;
  if (pending !== undefined) {
    out.pos = putBytes(out.buf, p, K.narrative);
    if (pending.write(out, JSON_STRING)) {
      out.reserve(1 + FIXED_BYTES);
      out.buf[out.pos++] = 44;
      return out.pos;
    }
    p = out.pos - K.narrative.length; // a custom template: the string, from the body
  }
  const body = record.body;
  return prop(out, p, K.narrative, body === null ? undefined : body);
}

/** {@link prop} for a member whose value often repeats. */
function rememberedProp(out: ByteSink, p: number, member: RememberedMember, value: unknown): number {
  if (typeof value !== 'string') return prop(out, p, member.name, value);
  let buf = out.buf;
  const room = member.name.length + maxStringBytes(value) + 1 + FIXED_BYTES;
  if (p + room > buf.length) ({ buf, p } = makeRoom(out, p, room));
  p = putBytes(buf, p, member.name);
  buf[p++] = 34;
  p = putRememberedText(buf, p, member.text, value);
  buf[p++] = 34;
  buf[p++] = 44;
  return p;
}

function makeRoom(out: ByteSink, p: number, room: number): { buf: Buffer; p: number } {
  out.pos = p;
  out.reserve(room);
  return { buf: out.buf, p: out.pos };
}

/** Ends the line: `}` in place of a trailing comma. */
function close(buf: Buffer, p: number): number {
  if (buf[p - 1] === 44) p--;
  buf[p++] = 125;
  return p;
}

/** Ends a nested object, as a member followed by others: `},`. */
function closeMember(buf: Buffer, p: number): number {
  p = close(buf, p);
  buf[p++] = 44;
  return p;
}

let lastResource: Resource | undefined;
let lastServiceName: unknown;

/** `service.name` of a resource, remembered for the last resource seen (the attributes are a getter over a merged map). */
function serviceNameOf(resource: Resource): unknown {
  if (resource !== lastResource) {
    lastResource = resource;
    lastServiceName = resource.attributes['service.name'];
  }
  return lastServiceName;
}

let cachedSecond = -1;
let cachedDate: Uint8Array = new Uint8Array(0);

/** `2024-01-15T14:30:25.123456Z"` (microseconds, UTC, after the opening quote); the date part is encoded once per second. */
function putTimestamp(buf: Buffer, p: number, [seconds, nanos]: [number, number]): number {
  if (seconds !== cachedSecond) {
    cachedSecond = seconds;
    cachedDate = bytesOf(new Date(seconds * 1000).toISOString().slice(0, 20));
  }
  p = putBytes(buf, p, cachedDate);
  p = putDigits(buf, p, Math.floor(nanos / 1000), 6);
  buf[p++] = 90; // Z
  buf[p++] = 34;
  return p;
}
