import type { DecodedValue } from './DecodedLogRecord.ts';

/**
 * Sets `target[key]` as an own, enumerable property. Keys come from the network:
 * a plain assignment of `__proto__` would replace the object's prototype instead
 * of storing an attribute, so that one key is defined explicitly.
 */
export function setAttribute(target: Record<string, DecodedValue>, key: string, value: DecodedValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
