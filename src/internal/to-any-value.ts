import type { AnyValue } from '@opentelemetry/api';
import type { Masker } from '../masking/create-masker.ts';
import { maskValue } from '../masking/mask-value.ts';
import { setOwnProperty } from './set-own-property.ts';
import { truncate } from './truncate.ts';

export interface ToAnyValueLimits {
  /** Longer strings are cut, in characters. Default 4096. */
  maxStringLength?: number;
  /** Deeper nesting becomes a marker string. Default 10. */
  maxDepth?: number;
  /** Keys kept per object and items kept per array. Default 200. */
  maxEntries?: number;
}

interface Options extends Required<ToAnyValueLimits> {
  /** Masks strings, and values under sensitive keys, on the way (undefined: no masking). */
  masker: Masker | undefined;
}

/**
 * Turns any app value into an OpenTelemetry AnyValue that an exporter can encode:
 * cycles become "[Circular]", Dates ISO strings, Errors {type, message}, Maps
 * objects, Sets arrays, BigInts strings; functions and symbols are left out; depth,
 * entry count and string length are bounded. Never throws (a throwing getter gives
 * "[Unreadable]").
 *
 * @param masker when given, the value is masked in the same walk, as
 *   `masker.maskAny` would mask the result: every string's secrets, and everything
 *   under a sensitive key. Strings are masked before they are cut, so a secret is
 *   never cut into a part the patterns no longer recognise.
 */
export function toAnyValue(value: unknown, limits: ToAnyValueLimits = {}, masker?: Masker): AnyValue {
  const opts: Options = {
    maxStringLength: limits.maxStringLength ?? 4096,
    maxDepth: limits.maxDepth ?? 10,
    maxEntries: limits.maxEntries ?? 200,
    masker,
  };
  return convert(value, opts, 0, []);
}

function convert(value: unknown, opts: Options, depth: number, path: object[]): AnyValue {
  switch (typeof value) {
    case 'string':
      return convertString(value, opts);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (path.includes(obj)) return '[Circular]';
  if (depth >= opts.maxDepth) return '[Truncated: too deep]';
  path.push(obj);
  try {
    // Plain objects and arrays first: they are what apps pass, and need no class checks.
    const proto = Object.getPrototypeOf(obj) as unknown;
    if (proto === Object.prototype || proto === null) return convertPlain(obj as Record<string, unknown>, opts, depth, path);
    if (Array.isArray(obj)) return convertItems(obj, opts, depth, path);
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Uint8Array || obj instanceof ArrayBuffer) return `[Binary: ${obj.byteLength} bytes]`;
    if (obj instanceof RegExp) return convert(String(obj), opts, depth, path);
    if (obj instanceof Error) {
      const out: Record<string, AnyValue> = { type: convert(obj.name, opts, depth + 1, path), message: convert(obj.message, opts, depth + 1, path) };
      const code = (obj as { code?: unknown }).code;
      if (typeof code === 'string' || typeof code === 'number') out.code = convert(code, opts, depth + 1, path);
      return out;
    }
    if (obj instanceof Set) return convertItems([...obj], opts, depth, path);
    if (obj instanceof Map) {
      const entries: Record<string, unknown> = Object.create(null);
      for (const [k, v] of obj) entries[String(k)] = v;
      return convertEntries(entries, Object.keys(entries), opts, depth, path);
    }
    return convertEntries(obj as Record<string, unknown>, Object.keys(obj), opts, depth, path);
  } catch {
    return '[Unreadable]';
  } finally {
    path.pop();
  }
}

/** At most `maxEntries` items, then a marker of how many more there were; `undefined` items become null. */
function convertItems(items: readonly unknown[], opts: Options, depth: number, path: object[]): AnyValue[] {
  const out: AnyValue[] = [];
  const n = Math.min(items.length, opts.maxEntries);
  for (let i = 0; i < n; i++) {
    const v = convert(items[i], opts, depth + 1, path);
    out.push(v === undefined ? null : v);
  }
  if (items.length > n) out.push(`[${items.length - n} more items]`);
  return out;
}

/** A string, masked (when masking) and then cut. */
function convertString(value: string, opts: Options): string {
  return truncate(opts.masker === undefined ? value : opts.masker.maskText(value), opts.maxStringLength);
}

/**
 * The value under key `k` of a map (undefined: leave the key out), wholly masked when
 * the key is sensitive. A string there is cut and masked as one secret: searching it
 * for secrets first would change nothing that masking all of it does not.
 */
function entryValue(k: string, v: unknown, opts: Options, depth: number, path: object[]): AnyValue {
  const masker = opts.masker;
  const sensitive = masker !== undefined && masker.isSensitiveKey(k);
  if (typeof v === 'string') return sensitive ? maskValue(truncate(v, opts.maxStringLength)) : convertString(v, opts);
  const converted = convert(v, opts, depth, path);
  return sensitive && converted !== undefined ? masker.maskAny(converted, k) : converted;
}

/**
 * A plain object's entries, as {@link convertEntries} gives them, from a copy made by
 * spreading it, whose values are then replaced where converting changes them. Adding
 * an app's keys one by one to a new object costs a megamorphic store with a shape
 * transition for each (about 200 instructions); spreading an object of a shape seen
 * before copies its shape at once. The copy also holds the object's symbol-keyed
 * properties, which nothing that reads an AnyValue (JSON, OTLP, masking) sees.
 */
function convertPlain(obj: Record<string, unknown>, opts: Options, depth: number, path: object[]): Record<string, AnyValue> {
  const keys = Object.keys(obj);
  if (keys.length > opts.maxEntries) return convertEntries(obj, keys, opts, depth, path);
  const out = { ...obj }; // reads each value once (a getter that throws makes the whole object unreadable, as before)
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = out[k];
    const converted = entryValue(k, v, opts, depth + 1, path);
    if (converted === undefined) delete out[k];
    else if (converted !== v) setOwnProperty(out as Record<string, AnyValue>, k, converted);
  }
  return out as Record<string, AnyValue>;
}

/** The entries of `obj` under `keys`, at most `maxEntries` kept, then a marker of how many more keys there were. */
function convertEntries(obj: Record<string, unknown>, keys: readonly string[], opts: Options, depth: number, path: object[]): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {};
  let kept = 0;
  for (let i = 0; i < keys.length; i++) {
    if (kept === opts.maxEntries) {
      out['[truncated]'] = `${keys.length - i} more keys`;
      break;
    }
    const k = keys[i]!;
    const converted = entryValue(k, obj[k], opts, depth + 1, path);
    if (converted === undefined) continue;
    setOwnProperty(out, k, converted);
    kept++;
  }
  return out;
}
