import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from the CSPRNG, drawn a whole buffer at a time and handed out in runs:
 * one `randomFillSync` per buffer instead of one per id. Each user of random ids keeps
 * its own pool (their draws differ in size).
 */
export class RandomBytePool {
  /** The pool; `take` says where a run starts in it. */
  readonly bytes: Buffer;
  private readonly _fill: (bytes: Buffer) => void;
  private _pos: number;

  /**
   * @param size bytes drawn at once.
   * @param fill fills the pool with random bytes (tests inject other bytes).
   */
  constructor(size: number, fill: (bytes: Buffer) => void = randomFillSync) {
    this.bytes = Buffer.allocUnsafe(size);
    this._fill = fill;
    this._pos = size;
  }

  /** Reserves the next `n` bytes (at most the pool's size), drawing afresh when fewer are left; returns where they start in `bytes`. */
  take(n: number): number {
    if (this._pos + n > this.bytes.length) {
      this._fill(this.bytes);
      this._pos = 0;
    }
    const at = this._pos;
    this._pos = at + n;
    return at;
  }
}
