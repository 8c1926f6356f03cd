import type { AnyValue } from '@opentelemetry/api';
import { truncate } from './truncate.ts';

export interface ToAnyValueLimits {
  /** Longer strings are cut, in characters. Default 4096. */
  maxStringLength?: number;
  /** Deeper nesting becomes a marker string. Default 10. */
  maxDepth?: number;
  /** Keys kept per object and items kept per array. Default 200. */
  maxEntries?: number;
}

/**
 * Turns any app value into an OpenTelemetry AnyValue that an exporter can encode:
 * cycles become "[Circular]", Dates ISO strings, Errors {type, message}, Maps
 * objects, Sets arrays, BigInts strings; functions and symbols are left out; depth,
 * entry count and string length are bounded. Never throws (a throwing getter gives
 * "[Unreadable]").
 */
export function toAnyValue(value: unknown, limits: ToAnyValueLimits = {}): AnyValue {
  const opts = {
    maxStringLength: limits.maxStringLength ?? 4096,
    maxDepth: limits.maxDepth ?? 10,
    maxEntries: limits.maxEntries ?? 200,
  };
  return convert(value, opts, 0, []);
}

function convert(value: unknown, opts: Required<ToAnyValueLimits>, depth: number, path: object[]): AnyValue {
  switch (typeof value) {
    case 'string':
      return truncate(value, opts.maxStringLength);
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
  try {
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Uint8Array) return `[Binary: ${obj.byteLength} bytes]`;
    if (obj instanceof ArrayBuffer) return `[Binary: ${obj.byteLength} bytes]`;
    if (obj instanceof RegExp) return String(obj);
    path.push(obj);
    try {
      if (obj instanceof Error) {
        const out: Record<string, AnyValue> = { type: obj.name, message: truncate(obj.message, opts.maxStringLength) };
        const code = (obj as { code?: unknown }).code;
        if (typeof code === 'string' || typeof code === 'number') out.code = code;
        return out;
      }
      if (Array.isArray(obj) || obj instanceof Set) {
        const items = Array.isArray(obj) ? obj : [...obj];
        const out: AnyValue[] = [];
        const n = Math.min(items.length, opts.maxEntries);
        for (let i = 0; i < n; i++) {
          const v = convert(items[i], opts, depth + 1, path);
          out.push(v === undefined ? null : v);
        }
        if (items.length > n) out.push(`[${items.length - n} more items]`);
        return out;
      }
      const entries: [string, unknown][] = obj instanceof Map ? [...obj].map(([k, v]) => [String(k), v]) : Object.entries(obj);
      const out: Record<string, AnyValue> = {};
      let kept = 0;
      for (const [k, v] of entries) {
        if (kept === opts.maxEntries) {
          out['[truncated]'] = `${entries.length - kept} more keys`;
          break;
        }
        const converted = convert(v, opts, depth + 1, path);
        if (converted !== undefined) {
          out[k] = converted;
          kept++;
        }
      }
      return out;
    } finally {
      path.pop();
    }
  } catch {
    return '[Unreadable]';
  }
}

