import type { DecodedAttributes, DecodedLogRecord, DecodedScope, DecodedValue } from './DecodedLogRecord.ts';
import { OtlpDecodeError } from './OtlpDecodeError.ts';
import { int64ToValue } from './int64-to-value.ts';
import { setOwnProperty } from '../internal/set-own-property.ts';

// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
// the protobuf JSON mapping with lowerCamelCase keys, trace and span ids as hex
// (not base64), enums as integers, 64-bit integers as decimal strings or numbers.
// Receivers should also accept the original snake_case field names; both are read.

type Json = Record<string, unknown>;

const MAX_DEPTH = 32;
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/**
 * Decodes an OTLP/JSON `ExportLogsServiceRequest` (UTF-8 bytes) into flat log records.
 *
 * @throws {OtlpDecodeError} on invalid JSON or values of the wrong shape.
 */
export function decodeLogsJson(bytes: Uint8Array): DecodedLogRecord[] {
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new OtlpDecodeError('body is not valid JSON', { cause: err });
  }
  const request = object(root, 'request');
  const out: DecodedLogRecord[] = [];
  for (const rl of list(get(request, 'resourceLogs', 'resource_logs'), 'resourceLogs')) {
    const resourceLogs = object(rl, 'resourceLogs[]');
    const res = get(resourceLogs, 'resource');
    const resource = res === undefined || res === null ? {} : attributes(get(object(res, 'resource'), 'attributes'), 'resource.attributes');
    for (const sl of list(get(resourceLogs, 'scopeLogs', 'scope_logs'), 'scopeLogs')) {
      const scopeLogs = object(sl, 'scopeLogs[]');
      const scope = readScope(get(scopeLogs, 'scope'));
      for (const lr of list(get(scopeLogs, 'logRecords', 'log_records'), 'logRecords')) {
        out.push(readLogRecord(object(lr, 'logRecords[]'), resource, scope));
      }
    }
  }
  return out;
}

function readScope(value: unknown): DecodedScope {
  if (value === undefined || value === null) return { name: '', version: '', attributes: {} };
  const s = object(value, 'scope');
  return {
    name: string(get(s, 'name'), 'scope.name'),
    version: string(get(s, 'version'), 'scope.version'),
    attributes: attributes(get(s, 'attributes'), 'scope.attributes'),
  };
}

function readLogRecord(r: Json, resource: DecodedAttributes, scope: DecodedScope): DecodedLogRecord {
  const rec: DecodedLogRecord = {
    resource,
    scope,
    timeUnixNano: uint64(get(r, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    observedTimeUnixNano: uint64(get(r, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano'),
    severityNumber: severity(get(r, 'severityNumber', 'severity_number')),
    severityText: string(get(r, 'severityText', 'severity_text'), 'severityText'),
    body: anyValue(get(r, 'body'), 'body', 0),
    attributes: attributes(get(r, 'attributes'), 'attributes'),
    droppedAttributesCount: Number(uint64(get(r, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount')),
    flags: Number(uint64(get(r, 'flags'), 'flags')),
  };
  const traceId = hexId(get(r, 'traceId', 'trace_id'), 32, 'traceId');
  const spanId = hexId(get(r, 'spanId', 'span_id'), 16, 'spanId');
  const eventName = string(get(r, 'eventName', 'event_name'), 'eventName');
  if (traceId !== undefined) rec.traceId = traceId;
  if (spanId !== undefined) rec.spanId = spanId;
  if (eventName !== '') rec.eventName = eventName;
  return rec;
}

function attributes(value: unknown, path: string): DecodedAttributes {
  const out: DecodedAttributes = {};
  for (const kv of list(value, path)) {
    const pair = object(kv, `${path}[]`);
    const key = string(get(pair, 'key'), `${path}[].key`);
    setOwnProperty(out, key, anyValue(get(pair, 'value'), `${path}.${key}`, 0));
  }
  return out;
}

function anyValue(value: unknown, path: string, depth: number): DecodedValue {
  if (value === undefined || value === null) return null;
  if (depth > MAX_DEPTH) throw new OtlpDecodeError(`values nested deeper than ${MAX_DEPTH} levels`);
  const v = object(value, path);
  let x: unknown;
  if ((x = get(v, 'stringValue', 'string_value')) !== undefined) return string(x, path);
  if ((x = get(v, 'boolValue', 'bool_value')) !== undefined) {
    if (typeof x !== 'boolean') throw new OtlpDecodeError(`${path}: boolValue must be a boolean`);
    return x;
  }
  if ((x = get(v, 'intValue', 'int_value')) !== undefined) return int64ToValue(int64(x, path));
  if ((x = get(v, 'doubleValue', 'double_value')) !== undefined) return double(x, path);
  if ((x = get(v, 'arrayValue', 'array_value')) !== undefined) {
    return list(get(object(x, path), 'values'), path).map((item) => anyValue(item, path, depth + 1));
  }
  if ((x = get(v, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const map: { [key: string]: DecodedValue } = {};
    for (const kv of list(get(object(x, path), 'values'), path)) {
      const pair = object(kv, path);
      const key = string(get(pair, 'key'), `${path}.key`);
      setOwnProperty(map, key, anyValue(get(pair, 'value'), `${path}.${key}`, depth + 1));
    }
    return map;
  }
  if ((x = get(v, 'bytesValue', 'bytes_value')) !== undefined) {
    if (typeof x !== 'string' || !BASE64.test(x)) throw new OtlpDecodeError(`${path}: bytesValue must be base64`);
    return Uint8Array.from(Buffer.from(x, 'base64'));
  }
  return null; // an empty AnyValue
}

function get(o: Json, camel: string, snake?: string): unknown {
  const v = Object.hasOwn(o, camel) ? o[camel] : undefined;
  return v !== undefined || snake === undefined ? v : Object.hasOwn(o, snake) ? o[snake] : undefined;
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OtlpDecodeError(`${path} must be an object`);
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${path} must be an array`);
  return value;
}

function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new OtlpDecodeError(`${path} must be a string`);
  return value;
}

function int64(value: unknown, path: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    const n = BigInt(value);
    if (n >= -(1n << 63n) && n < 1n << 63n) return n;
  }
  throw new OtlpDecodeError(`${path} must be a 64-bit integer`);
}

function uint64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) < 1n << 64n) return BigInt(value);
  throw new OtlpDecodeError(`${path} must be an unsigned 64-bit integer`);
}

function double(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  // The protobuf JSON mapping spells the non-finite doubles as strings.
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new OtlpDecodeError(`${path} must be a number`);
}

function severity(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 24) return value;
  if (typeof value === 'string') {
    if (value === 'SEVERITY_NUMBER_UNSPECIFIED') return 0;
    const m = /^SEVERITY_NUMBER_([A-Z]+)([234])?$/.exec(value);
    const base = m ? SEVERITY_NAMES.indexOf(m[1]!) : -1;
    if (base >= 0) return base * 4 + 1 + (m![2] ? Number(m![2]) - 1 : 0);
  }
  throw new OtlpDecodeError('severityNumber must be an integer 0-24 or a SEVERITY_NUMBER_* name');
}

function hexId(value: unknown, length: number, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length !== length || !/^[0-9a-fA-F]+$/.test(value)) {
    throw new OtlpDecodeError(`${path} must be ${length} hex characters`);
  }
  const hex = value.toLowerCase();
  return /^0+$/.test(hex) ? undefined : hex;
}
