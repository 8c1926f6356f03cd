import { OtlpDecodeError } from './OtlpDecodeError.ts';
import { int64ToValue } from './int64-to-value.ts';

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure). */
export const WireType = Object.freeze({ VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const);

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TWO_POW_64 = 1n << 64n;

/**
 * A cursor over protobuf wire-format bytes: just enough of the encoding to read
 * OTLP messages (varints, fixed32/64, length-delimited fields) and skip the rest.
 * Every read checks bounds and throws {@link OtlpDecodeError} on truncated or
 * invalid input, so a hostile body can never read past its buffer.
 */
export class ProtobufReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #pos: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = start;
    this.#end = end;
  }

  /** True while unread bytes remain. */
  hasMore(): boolean {
    return this.#pos < this.#end;
  }

  /** Reads a field tag; returns its number and wire type. */
  tag(): { field: number; wireType: number } {
    const key = this.uint32();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === 0) throw new OtlpDecodeError('field number 0');
    return { field, wireType };
  }

  /** A varint that must fit in 32 bits (tags, lengths, enums, uint32 fields). */
  uint32(): number {
    // Fast path in plain numbers: tags and lengths take 1-5 bytes, and BigInt costs.
    const start = this.#pos;
    let result = 0;
    for (let i = 0, scale = 1; i < 5; i++, scale *= 128) {
      if (this.#pos >= this.#end) throw new OtlpDecodeError('truncated varint');
      const byte = this.#bytes[this.#pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (result > 0xffff_ffff) throw new OtlpDecodeError('varint does not fit in 32 bits');
        return result;
      }
    }
    this.#pos = start;
    const value = this.varint();
    if (value > 0xffff_ffffn) throw new OtlpDecodeError('varint does not fit in 32 bits');
    return Number(value);
  }

  /** A varint as an unsigned 64-bit value. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.#pos >= this.#end) throw new OtlpDecodeError('truncated varint');
      const byte = this.#bytes[this.#pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result & (TWO_POW_64 - 1n);
    }
    throw new OtlpDecodeError('varint longer than 10 bytes');
  }

  /**
   * An int64 as a JavaScript value: a number when exact, else its decimal string
   * (see int64ToValue). Small non-negative values, the common case, skip BigInt.
   */
  int64Value(): number | string {
    const start = this.#pos;
    let result = 0;
    for (let i = 0, scale = 1; i < 7 && this.#pos < this.#end; i++, scale *= 128) {
      const byte = this.#bytes[this.#pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
    }
    this.#pos = start;
    return int64ToValue(this.int64());
  }

  /** A varint read as a two's-complement int64 (negative values take 10 bytes). */
  int64(): bigint {
    const value = this.varint();
    return value >= 1n << 63n ? value - TWO_POW_64 : value;
  }

  bool(): boolean {
    if (this.#pos < this.#end && this.#bytes[this.#pos]! < 0x80) return this.#bytes[this.#pos++] !== 0;
    return this.varint() !== 0n;
  }

  fixed32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.#pos, true);
    this.#pos += 4;
    return value;
  }

  fixed64(): bigint {
    this.#need(8);
    const value = this.#view.getBigUint64(this.#pos, true);
    this.#pos += 8;
    return value;
  }

  double(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#pos, true);
    this.#pos += 8;
    return value;
  }

  /** The bytes of a length-delimited field (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.uint32();
    this.#need(length);
    const out = this.#bytes.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return out;
  }

  /** A length-delimited field as valid UTF-8 (protobuf requires it of `string` fields). */
  string(): string {
    try {
      return utf8.decode(this.bytes());
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw err;
      throw new OtlpDecodeError('string field is not valid UTF-8', { cause: err });
    }
  }

  /** A reader over an embedded message, advancing past it. */
  message(): ProtobufReader {
    const length = this.uint32();
    this.#need(length);
    const sub = new ProtobufReader(this.#bytes, this.#pos, this.#pos + length);
    this.#pos += length;
    return sub;
  }

  /** Skips a field of an unknown number (forward compatibility), by its wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.varint();
        return;
      case WireType.I64:
        this.#need(8);
        this.#pos += 8;
        return;
      case WireType.LEN:
        this.bytes();
        return;
      case WireType.I32:
        this.#need(4);
        this.#pos += 4;
        return;
      default:
        // 3 and 4 are the deprecated groups, which OTLP never uses; 6 and 7 do not exist.
        throw new OtlpDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  /** Throws unless a known field arrived with the wire type its schema declares. */
  expect(wireType: number, expected: number, field: string): void {
    if (wireType !== expected) throw new OtlpDecodeError(`${field} has wire type ${wireType}, expected ${expected}`);
  }

  #need(length: number): void {
    if (length > this.#end - this.#pos) throw new OtlpDecodeError('truncated message');
  }
}
