import { INVALID_SPANID, INVALID_TRACEID } from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace';
import { RandomBytePool } from './RandomBytePool.ts';

/** Random bytes drawn from the CSPRNG at once. */
const POOL_BYTES = 64 * 1024;
/** Bytes turned into hex text at once: 8 KiB of text, which ids are slices of (about 170 spans' ids). */
const WINDOW_BYTES = 4096;

/**
 * Trace and span ids for the tracer provider: random hex from the CSPRNG, drawn 64 KiB
 * at a time and turned into text 4 KiB at a time, each id a slice of that text. The
 * SDK's RandomIdGenerator calls Math.random and Buffer#toString for every id; on a
 * busy server with tracing on, these cost less, and their randomness is cryptographic.
 */
export class PooledIdGenerator implements IdGenerator {
  private readonly _pool: RandomBytePool;
  private _text = '';
  private _textPos = 0;

  /** @param fill fills the pool with random bytes (tests inject other bytes). */
  constructor(fill?: (pool: Buffer) => void) {
    this._pool = new RandomBytePool(POOL_BYTES, fill);
  }

  /** 32 hex digits, never all zeros (the invalid trace id). */
  generateTraceId(): string {
    let id: string;
    do id = this._take(32);
    while (id === INVALID_TRACEID);
    return id;
  }

  /** 16 hex digits, never all zeros (the invalid span id). */
  generateSpanId(): string {
    let id: string;
    do id = this._take(16);
    while (id === INVALID_SPANID);
    return id;
  }

  private _take(hexDigits: number): string {
    if (this._textPos + hexDigits > this._text.length) {
      const at = this._pool.take(WINDOW_BYTES);
      this._text = this._pool.bytes.toString('hex', at, at + WINDOW_BYTES);
      this._textPos = 0;
    }
    const at = this._textPos;
    this._textPos = at + hexDigits;
    return this._text.slice(at, at + hexDigits);
  }
}
