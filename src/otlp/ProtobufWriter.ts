import { GrowableByteSink } from '../internal/ByteSink.ts';
import { putBytes } from '../internal/put-bytes.ts';
import { putUtf8 } from '../internal/put-utf8.ts';
import { WireType } from './ProtobufReader.ts';

const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);
const TWO_POW_32 = 2 ** 32;

function putVarint(buf: Buffer, p: number, value: number): number {
  while (value >= 0x80) {
    buf[p++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[p++] = value;
  return p;
}

/** Puts a 32-bit unsigned integer, little-endian. */
function putUint32(buf: Buffer, p: number, value: number): number {
  buf[p] = value & 0xff;
  buf[p + 1] = (value >>> 8) & 0xff;
  buf[p + 2] = (value >>> 16) & 0xff;
  buf[p + 3] = (value >>> 24) & 0xff;
  return p + 4;
}

/** The value of a hex digit (either case), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1; // a-f
}

/** The number of bytes of `value` as a varint (a non-negative integer below 2^32). */
function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

/**
 * A protobuf writer into a growing buffer, in one pass: a length-delimited field
 * reserves room for its length, is written, then gets its length (the content moves
 * by a byte or two when the reservation was wrong). Strings are encoded by Node's
 * native UTF-8 writer, not by a character loop.
 */
export class ProtobufWriter extends GrowableByteSink {
  /** The encoded bytes (a view: the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** A non-negative integer below 2^32. */
  varint(value: number): void {
    this.reserve(5);
    const buf = this.buf;
    let p = this.pos;
    while (value >= 0x80) {
      buf[p++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[p++] = value;
    this.pos = p;
  }

  /** Any integer in ±2^63, as int64 (negative values in two's complement, ten bytes). */
  int64(value: number): void {
    if (value >= 0 && value < TWO_POW_32) {
      this.varint(value);
      return;
    }
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value % TWO_POW_32;
      hi = Math.floor(value / TWO_POW_32);
    } else {
      const abs = -value;
      lo = abs % TWO_POW_32;
      hi = Math.floor(abs / TWO_POW_32);
      // Two's complement of the 64-bit magnitude.
      lo = (~lo >>> 0) + 1;
      hi = ~hi >>> 0;
      if (lo === TWO_POW_32) {
        lo = 0;
        hi = (hi + 1) >>> 0;
      }
    }
    this.reserve(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi > 0 || lo >= 0x80) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  fixed32(value: number): void {
    this.reserve(4);
    this.pos = putUint32(this.buf, this.pos, value);
  }

  /** An unsigned 64-bit integer given as its two 32-bit halves. */
  fixed64(lo: number, hi: number): void {
    this.reserve(8);
    this.pos = putUint32(this.buf, putUint32(this.buf, this.pos, lo), hi);
  }

  double(value: number): void {
    this.reserve(8);
    float64[0] = value;
    this.buf.set(float64Bytes, this.pos);
    this.pos += 8;
  }

  /** Nanoseconds since the epoch of an OpenTelemetry HrTime `[seconds, nanoseconds]`, as fixed64. */
  hrTime([seconds, nanos]: readonly [number, number]): void {
    // seconds * 1e9 exceeds 2^53: split seconds in 16-bit halves, each product exact.
    const high = Math.floor(seconds / 65536);
    const low = seconds - high * 65536;
    const highNanos = high * 1e9; // < 2^46, to be shifted left by 16 bits
    let lo = (highNanos % 65536) * 65536 + low * 1e9 + nanos; // < 2^53
    let hi = Math.floor(highNanos / 65536) + Math.floor(lo / TWO_POW_32);
    lo %= TWO_POW_32;
    hi >>>= 0;
    this.fixed64(lo, hi);
  }

  /** A string field (tag, length, UTF-8). */
  string(field: number, text: string): void {
    this.tag(field, WireType.LEN);
    const max = text.length * 3; // UTF-8 takes at most three bytes per UTF-16 code unit
    const reserved = varintSize(max);
    this.reserve(reserved + max);
    const start = this.pos + reserved;
    this._putLength(this.pos, reserved, putUtf8(this.buf, start, text) - start);
  }

  /**
   * A KeyValue field whose value is a string: `field{ key, 2: AnyValue{ 1: text } }`,
   * `key` being the encoded key part (`0a len key`). The three lengths are guessed at
   * one byte each, the text written, then the guess corrected (the text moves only when
   * it is longer than about a hundred bytes).
   */
  stringKeyValue(field: number, key: Uint8Array, text: string): void {
    this.reserve(key.length + 16 + text.length * 3);
    const buf = this.buf;
    const at = this.pos;
    const guess = 2 + key.length + 4;
    const start = at + guess;
    const length = putUtf8(buf, start, text) - start;
    const anyLength = 1 + varintSize(length) + length;
    const kvLength = key.length + 1 + varintSize(anyLength) + anyLength;
    const header = 1 + varintSize(kvLength) + key.length + 1 + varintSize(anyLength) + 1 + varintSize(length);
    if (header !== guess) buf.copyWithin(at + header, start, start + length);
    let p = at;
    buf[p++] = (field << 3) | WireType.LEN;
    p = putVarint(buf, p, kvLength);
    p = putBytes(buf, p, key);
    buf[p++] = 0x12; // 2: value
    p = putVarint(buf, p, anyLength);
    buf[p++] = 0x0a; // 1: string_value
    p = putVarint(buf, p, length);
    this.pos = p + length;
  }

  /**
   * A KeyValue field whose value is a boolean, a non-negative integer below 2^32
   * (int_value) or a non-integer (double_value): `field{ key, 2: AnyValue{…} }`.
   * Returns false, writing nothing, for other numbers (big or negative integers).
   */
  scalarKeyValue(field: number, key: Uint8Array, value: boolean | number): boolean {
    let anyLength: number;
    if (typeof value === 'boolean') anyLength = 2;
    else if (!Number.isInteger(value)) anyLength = 9;
    else if (value >= 0 && value < TWO_POW_32) anyLength = 1 + varintSize(value);
    else return false;
    const kvLength = key.length + 2 + anyLength;
    this.reserve(kvLength + 6);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = (field << 3) | WireType.LEN;
    p = putVarint(buf, p, kvLength);
    p = putBytes(buf, p, key);
    buf[p++] = 0x12; // 2: value
    buf[p++] = anyLength;
    if (typeof value === 'boolean') {
      buf[p++] = 0x10; // 2: bool_value
      buf[p++] = value ? 1 : 0;
    } else if (anyLength === 9) {
      buf[p++] = 0x21; // 4: double_value
      float64[0] = value;
      for (let i = 0; i < 8; i++) buf[p++] = float64Bytes[i]!;
    } else {
      buf[p++] = 0x18; // 3: int_value
      p = putVarint(buf, p, value);
    }
    this.pos = p;
    return true;
  }

  /** An AnyValue field holding a string: `field{ 1: text }` (a log record's body). */
  stringAnyValue(field: number, text: string): void {
    this.reserve(12 + text.length * 3);
    const buf = this.buf;
    const at = this.pos;
    const guess = 4;
    const start = at + guess;
    const length = putUtf8(buf, start, text) - start;
    const anyLength = 1 + varintSize(length) + length;
    const header = 1 + varintSize(anyLength) + 1 + varintSize(length);
    if (header !== guess) buf.copyWithin(at + header, start, start + length);
    let p = at;
    buf[p++] = (field << 3) | WireType.LEN;
    p = putVarint(buf, p, anyLength);
    buf[p++] = 0x0a;
    p = putVarint(buf, p, length);
    this.pos = p + length;
  }

  /**
   * A bytes field from hex text (trace and span ids), decoded as `Buffer.from(hex,
   * 'hex')` decodes it: up to the first pair that is not hex, the rest zeros. Decoded
   * here rather than by `Buffer#write`: for a 16- or 32-digit id, the native call cost
   * more than the loop (two per span, two per log record in a trace).
   */
  hex(field: number, hex: string): void {
    const length = hex.length >> 1;
    this.tag(field, WireType.LEN);
    this.varint(length);
    this.reserve(length);
    const buf = this.buf;
    const p = this.pos;
    let i = 0;
    for (; i < length; i++) {
      const high = hexDigit(hex.charCodeAt(2 * i));
      const low = hexDigit(hex.charCodeAt(2 * i + 1));
      if ((high | low) < 0) break;
      buf[p + i] = (high << 4) | low;
    }
    for (; i < length; i++) buf[p + i] = 0;
    this.pos = p + length;
  }

  /** A bytes field. */
  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, WireType.LEN);
    this.varint(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Bytes encoded beforehand (a field or several), copied as they are. */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.pos = putBytes(this.buf, this.pos, bytes);
  }

  /**
   * Starts a length-delimited field whose content follows: reserves `expected` bytes
   * for its length and returns where they are, for {@link end}.
   */
  begin(field: number, expected = 1): number {
    this.tag(field, WireType.LEN);
    this.reserve(expected);
    const at = this.pos;
    this.pos += expected;
    return at;
  }

  /** Ends the field begun at `at` (with the same `expected`), writing its length. */
  end(at: number, expected = 1): void {
    this._putLength(at, expected, this.pos - at - expected);
  }

  /** Writes `length` at `at` where `reserved` bytes were set aside, moving the content after them if needed. */
  private _putLength(at: number, reserved: number, length: number): void {
    const size = varintSize(length);
    const contentStart = at + reserved;
    if (size !== reserved) {
      this.reserve(size - reserved);
      this.buf.copyWithin(at + size, contentStart, contentStart + length);
    }
    const buf = this.buf;
    let p = at;
    let v = length;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = at + size + length;
  }
}
