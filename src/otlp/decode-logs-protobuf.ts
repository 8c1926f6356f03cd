import type { DecodedAttributes, DecodedLogRecord, DecodedScope, DecodedValue } from './DecodedLogRecord.ts';
import { OtlpDecodeError } from './OtlpDecodeError.ts';
import { ProtobufReader, WireType } from './ProtobufReader.ts';
import { setOwnProperty } from '../internal/set-own-property.ts';

// Field numbers from opentelemetry-proto: collector/logs/v1/logs_service.proto,
// logs/v1/logs.proto, common/v1/common.proto, resource/v1/resource.proto.
// Unknown fields are skipped, as protobuf requires, so newer senders still decode.

/** Maximum nesting of arrays and maps inside one AnyValue, against stack exhaustion. */
const MAX_DEPTH = 32;

/**
 * Decodes a binary protobuf `ExportLogsServiceRequest` into flat log records.
 *
 * @throws {OtlpDecodeError} on truncated or invalid wire data.
 */
export function decodeLogsProtobuf(bytes: Uint8Array): DecodedLogRecord[] {
  const out: DecodedLogRecord[] = [];
  const r = new ProtobufReader(bytes);
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'resource_logs');
      readResourceLogs(r.message(), out);
    } else r.skip(wireType);
  }
  return out;
}

function readResourceLogs(r: ProtobufReader, out: DecodedLogRecord[]): void {
  let resource: DecodedAttributes = {};
  const scopeLogs: ProtobufReader[] = [];
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'resource');
      resource = readResource(r.message());
    } else if (field === 2) {
      r.expect(wireType, WireType.LEN, 'scope_logs');
      // The resource may come after its scope_logs on the wire; decode those once it is known.
      scopeLogs.push(r.message());
    } else r.skip(wireType);
  }
  for (const s of scopeLogs) readScopeLogs(s, resource, out);
}

function readResource(r: ProtobufReader): DecodedAttributes {
  const attributes: DecodedAttributes = {};
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'resource.attributes');
      readKeyValue(r.message(), attributes, 0);
    } else r.skip(wireType);
  }
  return attributes;
}

function readScopeLogs(r: ProtobufReader, resource: DecodedAttributes, out: DecodedLogRecord[]): void {
  let scope: DecodedScope = { name: '', version: '', attributes: {} };
  const records: ProtobufReader[] = [];
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'scope');
      scope = readScope(r.message());
    } else if (field === 2) {
      r.expect(wireType, WireType.LEN, 'log_records');
      records.push(r.message());
    } else r.skip(wireType);
  }
  for (const rec of records) out.push(readLogRecord(rec, resource, scope));
}

function readScope(r: ProtobufReader): DecodedScope {
  const scope: DecodedScope = { name: '', version: '', attributes: {} };
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'scope.name');
      scope.name = r.string();
    } else if (field === 2) {
      r.expect(wireType, WireType.LEN, 'scope.version');
      scope.version = r.string();
    } else if (field === 3) {
      r.expect(wireType, WireType.LEN, 'scope.attributes');
      readKeyValue(r.message(), scope.attributes, 0);
    } else r.skip(wireType);
  }
  return scope;
}

function readLogRecord(r: ProtobufReader, resource: DecodedAttributes, scope: DecodedScope): DecodedLogRecord {
  const rec: DecodedLogRecord = {
    resource,
    scope,
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
  };
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    switch (field) {
      case 1:
        r.expect(wireType, WireType.I64, 'time_unix_nano');
        rec.timeUnixNano = r.fixed64();
        break;
      case 2:
        r.expect(wireType, WireType.VARINT, 'severity_number');
        rec.severityNumber = r.uint32();
        break;
      case 3:
        r.expect(wireType, WireType.LEN, 'severity_text');
        rec.severityText = r.string();
        break;
      case 5:
        r.expect(wireType, WireType.LEN, 'body');
        rec.body = readAnyValue(r.message(), 0);
        break;
      case 6:
        r.expect(wireType, WireType.LEN, 'attributes');
        readKeyValue(r.message(), rec.attributes, 0);
        break;
      case 7:
        r.expect(wireType, WireType.VARINT, 'dropped_attributes_count');
        rec.droppedAttributesCount = r.uint32();
        break;
      case 8:
        r.expect(wireType, WireType.I32, 'flags');
        rec.flags = r.fixed32();
        break;
      case 9:
        r.expect(wireType, WireType.LEN, 'trace_id');
        setId(rec, 'traceId', r.bytes(), 16);
        break;
      case 10:
        r.expect(wireType, WireType.LEN, 'span_id');
        setId(rec, 'spanId', r.bytes(), 8);
        break;
      case 11:
        r.expect(wireType, WireType.I64, 'observed_time_unix_nano');
        rec.observedTimeUnixNano = r.fixed64();
        break;
      case 12:
        r.expect(wireType, WireType.LEN, 'event_name');
        rec.eventName = r.string();
        break;
      default:
        r.skip(wireType);
    }
  }
  return rec;
}

function setId(rec: DecodedLogRecord, key: 'traceId' | 'spanId', bytes: Uint8Array, size: number): void {
  if (bytes.length === 0) return; // an empty id means "no trace context"
  if (bytes.length !== size) throw new OtlpDecodeError(`${key} must be ${size} bytes, got ${bytes.length}`);
  const hex = Buffer.from(bytes).toString('hex');
  if (/^0+$/.test(hex)) return; // all-zero ids are invalid per W3C; treat as absent
  rec[key] = hex;
}

/** Reads one KeyValue message into `target`. */
function readKeyValue(r: ProtobufReader, target: Record<string, DecodedValue>, depth: number): void {
  let key = '';
  let value: DecodedValue = null;
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'key');
      key = r.string();
    } else if (field === 2) {
      r.expect(wireType, WireType.LEN, 'value');
      value = readAnyValue(r.message(), depth);
    } else r.skip(wireType);
  }
  setOwnProperty(target, key, value);
}

function readAnyValue(r: ProtobufReader, depth: number): DecodedValue {
  if (depth > MAX_DEPTH) throw new OtlpDecodeError(`values nested deeper than ${MAX_DEPTH} levels`);
  let value: DecodedValue = null;
  // A oneof: if several members arrive, the last one wins (protobuf semantics).
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    switch (field) {
      case 1:
        r.expect(wireType, WireType.LEN, 'string_value');
        value = r.string();
        break;
      case 2:
        r.expect(wireType, WireType.VARINT, 'bool_value');
        value = r.bool();
        break;
      case 3:
        r.expect(wireType, WireType.VARINT, 'int_value');
        value = r.int64Value();
        break;
      case 4:
        r.expect(wireType, WireType.I64, 'double_value');
        value = r.double();
        break;
      case 5:
        r.expect(wireType, WireType.LEN, 'array_value');
        value = readArray(r.message(), depth + 1);
        break;
      case 6:
        r.expect(wireType, WireType.LEN, 'kvlist_value');
        value = readKvList(r.message(), depth + 1);
        break;
      case 7:
        r.expect(wireType, WireType.LEN, 'bytes_value');
        value = Uint8Array.from(r.bytes());
        break;
      default:
        r.skip(wireType);
    }
  }
  return value;
}

function readArray(r: ProtobufReader, depth: number): DecodedValue[] {
  const values: DecodedValue[] = [];
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'array_value.values');
      values.push(readAnyValue(r.message(), depth));
    } else r.skip(wireType);
  }
  return values;
}

function readKvList(r: ProtobufReader, depth: number): { [key: string]: DecodedValue } {
  const map: { [key: string]: DecodedValue } = {};
  while (r.hasMore()) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      r.expect(wireType, WireType.LEN, 'kvlist_value.values');
      readKeyValue(r.message(), map, depth);
    } else r.skip(wireType);
  }
  return map;
}
