/**
 * Byte runs this long or longer are copied by `TypedArray#set` (a native copy, about 200
 * instructions a call whatever the length) rather than a loop (about 22 instructions a
 * byte in a small function; less where the loop is inlined into a line writer).
 * Thresholds of 9, 16, 24, 32 and 64 bytes were counted: 16 kept the request line and
 * `recordAction` both near their best (8 was timed too, and gained nothing: bench/NOTES.md).
 */
const SET_MIN_BYTES = 16;

/** Puts bytes encoded beforehand (a constant fragment, a key, remembered bytes) at `p`; returns the next position. */
export function putBytes(buf: Uint8Array, p: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n >= SET_MIN_BYTES) {
    buf.set(bytes, p);
    return p + n;
  }
  for (let i = 0; i < n; i++) buf[p++] = bytes[i]!;
  return p;
}
