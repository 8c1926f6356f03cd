import { cleanText } from './clean-text.ts';

/** A value JSON (and jsonb) represent exactly. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 32;

/**
 * Turns app-supplied details into plain JSON that survives a round trip through jsonb
 * unchanged, so the hash computed before the insert matches the one `verify` recomputes:
 * non-finite numbers become null, bigints strings, Dates ISO strings, text is cleaned
 * ({@link cleanText}), cycles and depth past 32 become markers, undefined and functions
 * are dropped (as JSON.stringify does). Objects have no prototype, so a `__proto__` key
 * is kept as data.
 */
export function toJsonValue(value: unknown): JsonValue | undefined {
  return convert(value, 0, new Set());
}

function convert(value: unknown, depth: number, seen: Set<object>): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
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
  if (seen.has(obj)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    return convert((obj as { toJSON(): unknown }).toJSON(), depth + 1, seen);
  }
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((item) => convert(item, depth + 1, seen) ?? null);
    if (obj instanceof Uint8Array) return Buffer.from(obj).toString('base64');
    const out: { [key: string]: JsonValue } = Object.create(null);
    for (const key of Object.keys(obj)) {
      const item = convert((obj as Record<string, unknown>)[key], depth + 1, seen);
      if (item !== undefined) out[cleanText(key)] = item;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
