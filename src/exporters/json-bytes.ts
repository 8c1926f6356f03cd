import type { ByteSink } from '../internal/ByteSink.ts';
import { putBytes } from '../internal/put-bytes.ts';
import { putUtf8, type Utf8Writer } from '../internal/put-utf8.ts';
import { keptBytes } from '../internal/RememberedGroup.ts';

/**
 * JSON written straight into bytes, as `JSON.stringify` would write it and as UTF-8
 * would encode that: one pass over each string escapes and encodes it, with no
 * intermediate string and no separate UTF-8 length pass.
 *
 * Two layers: `put*` functions write at position `p` of a buffer the caller has made
 * room in, and return the next position (no call or check per byte, for the fixed
 * parts of a line); `writeJsonValue` writes any value through a ByteSink, making room
 * as it goes (for the nested maps of a record, whose size is not known up front).
 */

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Deeper values are written as this string (values from `toAnyValue` are already bounded). */
const MAX_DEPTH = 64;
const TOO_DEEP = '[Truncated: too deep]';
const NULL = bytesOf('null');
const TRUE = bytesOf('true');
const FALSE = bytesOf('false');
/**
 * Strings at least this long are searched for characters that need escaping by a
 * regular expression and, when none does, copied by Node's native UTF-8 encoder; below
 * it, the per-character loop costs less than the two calls.
 */
const NATIVE_MIN_LENGTH = 16;
/** Quote, backslash, control characters, and surrogates (a lone one must be escaped). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;
/** Room a number needs at most (`-1.7976931348623157e+308`). */
export const MAX_NUMBER_BYTES = 24;

/** The UTF-8 bytes of a constant JSON fragment, encoded once. */
export function bytesOf(fragment: string): Uint8Array {
  return new Uint8Array(Buffer.from(fragment, 'utf8'));
}

/** Room a JSON string of `s` needs at most: every code unit escaped as `\u00XX`, plus quotes. */
export function maxStringBytes(s: string): number {
  return s.length * 6 + 2;
}

/** Puts text known to be ASCII and to need no escaping. */
function putAscii(buf: Buffer, p: number, text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
  return p;
}

/**
 * Puts a JSON string: quotes; `"` and `\` escaped; control characters as `\n`, `\t`,
 * … or `\u00XX`; lone surrogates as `\uDXXX` (well-formed, as JSON.stringify does since
 * ES2019); everything else as UTF-8. Needs {@link maxStringBytes} of room.
 */
export function putString(buf: Buffer, p: number, s: string): number {
  buf[p++] = 34;
  p = putJsonText(buf, p, s);
  buf[p++] = 34;
  return p;
}

/**
 * Puts the inside of a JSON string, escaped as {@link putString} does, without the
 * quotes (for a string written in parts, such as a narrative sentence). Needs
 * {@link maxStringBytes} of room.
 */
export function putJsonText(buf: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n >= NATIVE_MIN_LENGTH) {
    // A leading surrogate pair (the emoji that opens a narrative line) is well-formed by
    // construction; the rest is searched for anything that needs escaping.
    const from = n >= 2 && (s.charCodeAt(0) & 0xfc00) === 0xd800 && (s.charCodeAt(1) & 0xfc00) === 0xdc00 ? 2 : 0;
    if (!NEEDS_ESCAPING.test(from === 0 ? s : s.slice(from))) return p + (buf as Buffer & Utf8Writer).utf8Write(s, p);
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 34 && c !== 92) {
        buf[p++] = c;
        continue;
      }
      buf[p++] = 92;
      if (c === 34 || c === 92) buf[p++] = c;
      else if (c === 10) buf[p++] = 110; // \n
      else if (c === 13) buf[p++] = 114; // \r
      else if (c === 9) buf[p++] = 116; // \t
      else if (c === 8) buf[p++] = 98; // \b
      else if (c === 12) buf[p++] = 102; // \f
      else {
        buf[p++] = 117; // \u00XX
        buf[p++] = 48;
        buf[p++] = 48;
        buf[p++] = HEX[c >> 4]!;
        buf[p++] = HEX[c & 15]!;
      }
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 63);
    } else if (c < 0xd800 || c > 0xdfff) {
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 63);
      buf[p++] = 0x80 | (c & 63);
    } else {
      const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        buf[p++] = 0xf0 | (cp >> 18);
        buf[p++] = 0x80 | ((cp >> 12) & 63);
        buf[p++] = 0x80 | ((cp >> 6) & 63);
        buf[p++] = 0x80 | (cp & 63);
        i++;
      } else {
        buf[p++] = 92; // a lone surrogate: \udXXX
        buf[p++] = 117;
        buf[p++] = HEX[c >> 12]!;
        buf[p++] = HEX[(c >> 8) & 15]!;
        buf[p++] = HEX[(c >> 4) & 15]!;
        buf[p++] = HEX[c & 15]!;
      }
    }
  }
  return p;
}

/**
 * The last text written through {@link putRememberedText} and, once it came twice in a
 * row, its escaped UTF-8 bytes. Many values repeat from line to line (an event type,
 * a result, a method, a client's address or user agent); the same value again is
 * copied, not escaped and encoded anew (which costs a regular expression and a native
 * call for 16 characters or more). A value is copied out only when it repeats: one that
 * changes every time (a description with an order number) would pay a copy per line
 * and never use it.
 */
export class RememberedText {
  value: string | undefined = undefined;
  bytes: Uint8Array | undefined = undefined;
}

/** {@link putJsonText} for a value that often repeats: see {@link RememberedText}. Needs {@link maxStringBytes} of room. */
export function putRememberedText(buf: Buffer, p: number, slot: RememberedText, s: string): number {
  if (s !== slot.value) {
    slot.value = s;
    slot.bytes = undefined;
    return putJsonText(buf, p, s);
  }
  if (slot.bytes !== undefined) return putBytes(buf, p, slot.bytes);
  const from = p;
  p = putJsonText(buf, p, s);
  slot.bytes = keptBytes(buf, from, p);
  return p;
}

/**
 * {@link putUtf8} for a value that often repeats (a slot serves one of the two
 * functions). A twin of {@link putRememberedText} on purpose: one function for both,
 * given a flag or the function to call, cost the JSON line's fifteen remembered
 * members about 5% more instructions per request (a call through a variable is not inlined).
 */
export function putRememberedUtf8(buf: Buffer, p: number, slot: RememberedText, s: string): number {
  if (s !== slot.value) {
    slot.value = s;
    slot.bytes = undefined;
    return putUtf8(buf, p, s);
  }
  if (slot.bytes !== undefined) return putBytes(buf, p, slot.bytes);
  const from = p;
  p = putUtf8(buf, p, s);
  slot.bytes = keptBytes(buf, from, p);
  return p;
}

/**
 * Puts a number as JSON.stringify writes it (`null` for NaN and infinities). Integers
 * and values of at most three decimals (durations in ms, rounded to the µs) are
 * written digit by digit, without the double-to-string conversion; they come out the
 * same, since the shortest decimal that reads back as such a double is its own.
 * Needs {@link MAX_NUMBER_BYTES} of room.
 */
export function putNumber(buf: Buffer, p: number, n: number): number {
  if (!Number.isFinite(n)) return putBytes(buf, p, NULL);
  const m = Math.round(n * 1000);
  if (m / 1000 !== n || m > 1e15 || m < -1e15) return putAscii(buf, p, String(n));
  if (m < 0) {
    buf[p++] = 45; // -
    return putMilli(buf, p, -m);
  }
  return putMilli(buf, p, m);
}

/**
 * Puts `n` rounded to two decimals, trailing zeros dropped, as the narrative shows a
 * duration (`formatMillis`: 45.3211 → `45.32`, 12 → `12`), with no string made.
 * Needs {@link MAX_NUMBER_BYTES} of room.
 */
export function putHundredths(buf: Buffer, p: number, n: number): number {
  const hundredths = Math.round(n * 100);
  if (!Number.isSafeInteger(hundredths) || Math.abs(hundredths) >= 1e15) return putAscii(buf, p, String(hundredths / 100));
  let abs = hundredths;
  if (abs < 0) {
    buf[p++] = 45; // -
    abs = -abs;
  }
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  p = putDigits(buf, p, whole, digitCount(whole));
  if (frac === 0) return p;
  buf[p++] = 46; // .
  if (frac % 10 === 0) {
    buf[p++] = 48 + frac / 10;
    return p;
  }
  return putDigits(buf, p, frac, 2);
}

/** Puts `m / 1000` for a non-negative integer `m`: integer digits, then up to three decimals without trailing zeros. */
function putMilli(buf: Buffer, p: number, m: number): number {
  const whole = Math.floor(m / 1000);
  let frac = m - whole * 1000;
  p = putDigits(buf, p, whole, digitCount(whole));
  if (frac === 0) return p;
  buf[p++] = 46; // .
  let width = 3;
  while (frac % 10 === 0) {
    frac /= 10;
    width--;
  }
  return putDigits(buf, p, frac, width);
}

/** The number of decimal digits of a non-negative integer. */
function digitCount(value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  return digits;
}

/** Puts the last `width` decimal digits of a non-negative integer below 2^53, zero-padded. */
export function putDigits(buf: Buffer, p: number, value: number, width: number): number {
  for (let d = width - 1; d >= 0; d--) {
    const q = Math.floor(value / 10);
    buf[p + d] = 48 + (value - q * 10);
    value = q;
  }
  return p + width;
}

/** Puts `true` or `false`. */
export function putBoolean(buf: Buffer, p: number, value: boolean): number {
  return putBytes(buf, p, value ? TRUE : FALSE);
}

/**
 * Writes any value as JSON.stringify would (undefined properties and functions left
 * out, undefined array items as null, `toJSON` honoured, BigInts as strings rather than
 * a TypeError), with nesting bounded by a marker string instead of a stack overflow on
 * a cycle.
 */
export function writeJsonValue(out: ByteSink, value: unknown, depth = 0): void {
  switch (typeof value) {
    case 'string':
      out.reserve(maxStringBytes(value));
      out.pos = putString(out.buf, out.pos, value);
      return;
    case 'number':
      out.reserve(MAX_NUMBER_BYTES);
      out.pos = putNumber(out.buf, out.pos, value);
      return;
    case 'boolean':
      out.reserve(5);
      out.pos = putBoolean(out.buf, out.pos, value);
      return;
    case 'bigint':
      writeJsonValue(out, value.toString(), depth);
      return;
    case 'object':
      break;
    default:
      writeNull(out); // undefined, functions, symbols (only reached inside arrays or at the top)
      return;
  }
  if (value === null) {
    writeNull(out);
    return;
  }
  if (depth >= MAX_DEPTH) {
    writeJsonValue(out, TOO_DEEP, depth);
    return;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    writeJsonValue(out, toJSON.call(value), depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    writeByte(out, 91); // [
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writeByte(out, 44);
      writeJsonValue(out, value[i], depth + 1);
    }
    writeByte(out, 93); // ]
    return;
  }
  writeByte(out, 123); // {
  let first = true;
  const map = value as Record<string, unknown>;
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
    const v = map[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) writeByte(out, 44);
    first = false;
    const member = memberBytesOf(key);
    out.reserve(member.length);
    out.pos = putBytes(out.buf, out.pos, member);
    writeJsonValue(out, v, depth + 1);
  }
  writeByte(out, 125); // }
}

/** Keys of written maps, with the bytes of `"key":`: see {@link memberBytesOf}. */
const MEMBER_BYTES = new Map<string, Uint8Array>();
/** Keys remembered at most; past it the table starts again (a stream of ever-new keys cannot grow it). */
const MAX_REMEMBERED_KEYS = 1024;
/** Longer keys are encoded each time (keys are not bounded by `toAnyValue`: the table must not hold huge ones). */
const MAX_REMEMBERED_KEY_LENGTH = 128;

/**
 * The bytes of `"key":` for a map's key. The keys of an app's data repeat from record
 * to record (`orderId`, `amount`, …); a table lookup and a copy cost less than escaping
 * and encoding a key a character at a time (about 50 instructions a character).
 */
function memberBytesOf(key: string): Uint8Array {
  let bytes = MEMBER_BYTES.get(key);
  if (bytes === undefined) {
    bytes = bytesOf(`${JSON.stringify(key)}:`); // the bytes putString gives, as the tests check
    if (key.length <= MAX_REMEMBERED_KEY_LENGTH) {
      if (MEMBER_BYTES.size >= MAX_REMEMBERED_KEYS) MEMBER_BYTES.clear();
      MEMBER_BYTES.set(key, bytes);
    }
  }
  return bytes;
}

/** Writes one byte (`,`, `}`, `\n`, …). */
function writeByte(out: ByteSink, byte: number): void {
  out.reserve(1);
  out.buf[out.pos++] = byte;
}

function writeNull(out: ByteSink): void {
  out.reserve(4);
  out.pos = putBytes(out.buf, out.pos, NULL);
}
