import type { JsonValue } from './to-json-value.ts';

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units), no whitespace. The same
 * value gives the same text whether it comes from the caller or back out of jsonb (which
 * reorders keys), so it can be hashed.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(keys[i])}:${canonicalJson(value[keys[i]!]!)}`;
  }
  return `${out}}`;
}
