import { ActivityConfigError } from '../internal/errors.ts';

/** The environment as a read-only string map (process.env by default). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The value of `name`, or undefined when unset or blank. */
export function readEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function parseBoolean(name: string, raw: string): boolean {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ActivityConfigError(name, raw, 'true or false (also on/off, yes/no, 1/0)');
}

/** A whole number >= min, e.g. `ACTIVITY_SLOW_MS=1000`. */
export function parseInteger(name: string, raw: string, unit: string, min = 0): number {
  if (!/^\d+$/.test(raw)) throw new ActivityConfigError(name, raw, `a whole number of ${unit} >= ${min}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new ActivityConfigError(name, raw, `a whole number of ${unit} >= ${min}`);
  return n;
}

export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const v = raw.toLowerCase() as T;
  if (allowed.includes(v)) return v;
  throw new ActivityConfigError(name, raw, `one of ${allowed.join(', ')}`);
}

/** A comma-separated list; blank items are dropped. */
export function parseList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** An absolute http(s) URL. */
export function parseHttpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ActivityConfigError(name, raw, 'an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ActivityConfigError(name, raw, 'an absolute http:// or https:// URL');
  }
  return raw;
}
