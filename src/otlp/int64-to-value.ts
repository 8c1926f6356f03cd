/**
 * An OTLP int64 as a JavaScript value: a number when it is exactly representable
 * (|v| <= 2^53 - 1), else its decimal string, so no precision is lost silently and
 * the value stays JSON-serialisable (a bigint would not be).
 */
export function int64ToValue(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
