/**
 * Sets `target[key]` as an own, enumerable data property, `__proto__` included: assigned,
 * that key (JSON.parse makes them, and OTLP attributes from the network may carry it)
 * would set the target's prototype instead, and the value would vanish from its keys.
 */
export function setOwnProperty<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
