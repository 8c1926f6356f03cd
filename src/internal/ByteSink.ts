/**
 * Where encoders append bytes: the buffer and the next position in it. An encoder
 * calls `reserve(n)` before it writes at most n bytes, then writes through `buf` and
 * `pos` directly (no call per byte).
 */
export interface ByteSink {
  buf: Buffer;
  pos: number;
  /** Makes room for `n` more bytes at `pos`; may swap `buf`, keeping what was written. */
  reserve(n: number): void;
}

/** A ByteSink over one buffer that doubles when full. */
export class GrowableByteSink implements ByteSink {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** The bytes written so far, as UTF-8 text. */
  text(): string {
    return this.buf.toString('utf8', 0, this.pos);
  }
}
