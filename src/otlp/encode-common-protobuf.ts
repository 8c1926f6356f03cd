import type { AnyValue, Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { ProtobufWriter } from './ProtobufWriter.ts';
import { WireType } from './ProtobufReader.ts';

// The parts OTLP requests share (common/v1/common.proto, resource/v1/resource.proto),
// written as OpenTelemetry's protobuf serializers write them.

/** Deeper values are written as this string (values from `toAnyValue` are already bounded). */
const MAX_DEPTH = 32;
const TOO_DEEP = '[Truncated: too deep]';
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
/** Bytes the length of a batch's resource and scope messages takes (up to 2 MiB; bigger ones move a little). */
const BATCH_LENGTH_BYTES = 3;

/**
 * An export request: `ResourceX` (field 1) per resource, holding `ScopeX` (field 2) per
 * instrumentation scope, holding the items, in the order first seen: the layout of
 * `ExportLogsServiceRequest` and `ExportTraceServiceRequest` alike, as OpenTelemetry's
 * serializers group it.
 *
 * @param bytesPerItem a guess at an item's size, for the first buffer.
 * @param writeItem writes one item as field 2 of its scope message.
 */
export function encodeExportRequest<T extends { resource: Resource; instrumentationScope: InstrumentationScope }>(
  items: readonly T[],
  bytesPerItem: number,
  writeItem: (w: ProtobufWriter, item: T) => void,
): Uint8Array {
  const w = new ProtobufWriter(Math.max(4096, items.length * bytesPerItem));
  for (const [resource, scopes] of groupByResourceAndScope(items)) {
    const resourceAt = w.begin(1, BATCH_LENGTH_BYTES);
    w.raw(resourceBytes(resource));
    for (const [scope, scoped] of scopes) {
      const scopeAt = w.begin(2, BATCH_LENGTH_BYTES);
      w.raw(scopeBytes(scope));
      for (const item of scoped) writeItem(w, item);
      if (scope.schemaUrl) w.string(3, scope.schemaUrl);
      w.end(scopeAt, BATCH_LENGTH_BYTES);
    }
    if (resource.schemaUrl) w.string(3, resource.schemaUrl);
    w.end(resourceAt, BATCH_LENGTH_BYTES);
  }
  return w.finish();
}

/** Items (log records, spans) grouped by resource, then by instrumentation scope, in the order first seen. */
function groupByResourceAndScope<T extends { resource: Resource; instrumentationScope: InstrumentationScope }>(items: readonly T[]): Map<Resource, Map<InstrumentationScope, T[]>> {
  const byResource = new Map<Resource, Map<InstrumentationScope, T[]>>();
  for (const item of items) {
    let byScope = byResource.get(item.resource);
    if (byScope === undefined) byResource.set(item.resource, (byScope = new Map()));
    const list = byScope.get(item.instrumentationScope);
    if (list === undefined) byScope.set(item.instrumentationScope, [item]);
    else list.push(item);
  }
  return byResource;
}

/** Repeated KeyValue `field`, one per own attribute. */
export function writeAttributes(w: ProtobufWriter, field: number, attributes: Attributes | Record<string, AnyValue>, depth = 0): void {
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    writeKeyValue(w, field, keyBytes(key), attributes[key] as AnyValue, depth);
  }
}

/** KeyValue `field` with a key encoded beforehand (`0a len key`, from {@link keyBytes}) and any value. */
export function writeKeyValue(w: ProtobufWriter, field: number, key: Uint8Array, value: AnyValue | undefined, depth = 0): void {
  if (typeof value === 'string') w.stringKeyValue(field, key, value);
  else if ((typeof value === 'number' || typeof value === 'boolean') && w.scalarKeyValue(field, key, value)) return;
  else {
    const at = w.begin(field);
    w.raw(key);
    const inner = w.begin(2);
    writeAnyValue(w, value, depth);
    w.end(inner);
    w.end(at);
  }
}

/** The content of an AnyValue (one of its fields; nothing for undefined or null). */
export function writeAnyValue(w: ProtobufWriter, value: AnyValue | undefined, depth: number): void {
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

/** Encodings kept per key or value; beyond this many, new ones are encoded each time (names of other code can be unbounded). */
const MAX_CACHED = 1024;
const encodedKeys = new Map<string, Uint8Array>();
const encodedResources = new WeakMap<Resource, Uint8Array>();
const encodedScopes = new WeakMap<InstrumentationScope, Uint8Array>();

/** `0a len key`: the key part of a KeyValue, encoded once per name. */
export function keyBytes(key: string): Uint8Array {
  return cachedStringField(encodedKeys, 1, key);
}

/** A string field, encoded once per value into `cache` (for values from small vocabularies: levels, event names). */
export function cachedStringField(cache: Map<string, Uint8Array>, field: number, value: string): Uint8Array {
  let bytes = cache.get(value);
  if (bytes === undefined) {
    bytes = encodeField(field, value);
    if (cache.size < MAX_CACHED) cache.set(value, bytes);
  }
  return bytes;
}

function encodeField(field: number, value: string): Uint8Array {
  const w = new ProtobufWriter(value.length * 3 + 8);
  w.string(field, value);
  return w.finish().slice();
}

/** Field 1 of ResourceLogs / ResourceSpans: the resource's attributes and dropped count, encoded once per resource. */
function resourceBytes(resource: Resource): Uint8Array {
  let bytes = encodedResources.get(resource);
  if (bytes === undefined) {
    const w = new ProtobufWriter(512);
    const at = w.begin(1, 2);
    writeAttributes(w, 1, resource.attributes);
    w.tag(2, WireType.VARINT);
    w.varint(0);
    w.end(at, 2);
    bytes = w.finish().slice();
    // A resource still waiting for asynchronous attributes may change: encode it again next time.
    if (!resource.asyncAttributesPending) encodedResources.set(resource, bytes);
  }
  return bytes;
}

/** Field 1 of ScopeLogs / ScopeSpans: the instrumentation scope, encoded once per scope object. */
function scopeBytes(scope: InstrumentationScope): Uint8Array {
  let bytes = encodedScopes.get(scope);
  if (bytes === undefined) {
    const w = new ProtobufWriter(256);
    const at = w.begin(1, 2);
    w.string(1, scope.name);
    if (scope.version) w.string(2, scope.version);
    const attributes = (scope as { attributes?: Attributes }).attributes;
    if (attributes) writeAttributes(w, 3, attributes);
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
