import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync, writev } from 'node:fs';
import { dirname } from 'node:path';
import { reportError } from '../internal/report-error.ts';
import type { ByteSink } from '../internal/ByteSink.ts';

export interface RotatingFileWriterOptions {
  path: string;
  /** Rotate before the file would grow past this many bytes. Default 10485760 (10 MiB). */
  maxBytes?: number;
  /** Rotated files kept: `path.1` (newest) … `path.N`. Default 5; 0 keeps none. */
  backups?: number;
  /** Lines waiting for the disk beyond this many bytes are dropped (and counted). Default 33554432 (32 MiB). */
  maxPendingBytes?: number;
}

/** Writes one line's bytes (without the newline) into `out`. */
export type LineEncoder<T> = (out: ByteSink, value: T) => void;

/** Lines are encoded into buffers of this size (bytes), reused once written. */
const CHUNK_BYTES = 64 * 1024;
/** Written buffers kept for reuse (more would only hold memory). */
const POOLED_CHUNKS = 8;
/** Queued bytes that trigger a write at the next turn of the event loop (below it, the timer decides). */
const FLUSH_BYTES = 256 * 1024;
/** Longest time a line waits for a write, in milliseconds (the disk sees few large writes, not one per request). */
const FLUSH_INTERVAL_MILLIS = 25;
/**
 * Values queued by `writeLater` that are encoded at once, without waiting for the
 * write. It bounds what the queue holds: records kept longer survive more garbage
 * collections (64 to 1024 measured alike on a busy server).
 */
const LATER_BATCH = 128;
const NO_BUFFER = Buffer.alloc(0);

/** Encoded lines waiting for the disk; `rotateFirst`: the file must rotate before they go. */
interface Chunk {
  data: Buffer;
  used: number;
  lines: number;
  rotateFirst: boolean;
}

/**
 * Appends lines to a file with size-based rotation, off the request path: a line is
 * encoded straight into a pending buffer (at once, or with its batch: `writeLater`); a
 * gathered write goes to the disk once 256 KiB are queued or 25 ms have passed, and
 * rotation happens between writes, decided line by line, so a line is never split
 * across files or interleaved with another. One writer per file
 * per process (two processes rotating one file would race: give each its own file).
 */
export class RotatingFileWriter {
  readonly path: string;
  private readonly _maxBytes: number;
  private readonly _backups: number;
  private readonly _maxPendingBytes: number;
  private _fd = -1;
  /** Size the file will have once every pending line is written (since the last rotation). */
  private _projectedSize = 0;
  private readonly _sink = new LineSink();
  private _pendingBytes = 0;
  private _writing = false;
  private _scheduled = false;
  private _timer: NodeJS.Timeout | undefined;
  private _idleWaiters: (() => void)[] = [];
  private _closed = false;
  /** What `writeLater` queued, in order: encoders and their values (parallel arrays). */
  private _laterEncoders: LineEncoder<never>[] = [];
  private _laterValues: unknown[] = [];

  constructor(options: RotatingFileWriterOptions) {
    this.path = options.path;
    this._maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this._backups = options.backups ?? 5;
    this._maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
    mkdirSync(dirname(this.path), { recursive: true });
    this._open();
    this._projectedSize = fstatSync(this._fd).size;
  }

  /** Queues one line (a trailing newline is added). */
  write(line: string): void {
    this.writeWith(encodeText, line);
  }

  /**
   * Queues one line that `encode` writes into the file's pending bytes (a trailing
   * newline is added). If `encode` throws, nothing of the line is kept and the error
   * is rethrown.
   */
  writeWith<T>(encode: LineEncoder<T>, value: T): void {
    if (this._closed) return;
    if (this._laterValues.length > 0) this._encodeLater(); // lines keep their order
    this._append(encode, value);
    this._schedule();
  }

  /**
   * Queues a value whose line `encode` writes later: just before the next write, or
   * once 128 values wait. Encoding a batch of lines in a row runs hot code on warm
   * caches; on a busy HTTP server that costs half as much per line as encoding each
   * line between two requests (see the README's Performance section). The value must
   * not change until then, as a log record does not once emitted. An `encode` that
   * throws loses its own line only, counted as failed.
   */
  writeLater<T>(encode: LineEncoder<T>, value: T): void {
    if (this._closed) return;
    this._laterEncoders.push(encode as LineEncoder<never>);
    if (this._laterValues.push(value) >= LATER_BATCH) this._encodeLater();
    this._schedule();
  }

  /** Encodes one line into the pending bytes, rotating before it if it would not fit. */
  private _append<T>(encode: LineEncoder<T>, value: T): void {
    if (this._pendingBytes > this._maxPendingBytes) {
      reportError('dropped', `file output ${this.path} (disk not keeping up)`, new Error('pending buffer full'));
      return;
    }
    const sink = this._sink;
    try {
      encode(sink, value);
      sink.reserve(1);
      sink.buf[sink.pos++] = 10; // '\n'
    } catch (error) {
      sink.pos = sink.lineStart;
      throw error;
    }
    const bytes = sink.pos - sink.lineStart;
    if (this._projectedSize > 0 && this._projectedSize + bytes > this._maxBytes) {
      sink.startFileWithLine();
      this._projectedSize = 0;
    }
    sink.commitLine();
    this._projectedSize += bytes;
    this._pendingBytes += bytes;
  }

  private _encodeLater(): void {
    const encoders = this._laterEncoders;
    const values = this._laterValues;
    this._laterEncoders = [];
    this._laterValues = [];
    for (let i = 0; i < values.length; i++) {
      try {
        this._append(encoders[i]!, values[i] as never);
      } catch (error) {
        reportError('failed', `file output ${this.path}`, error);
      }
    }
  }

  /** A write soon: at the next turn of the event loop once a batch is queued, else at the timer. */
  private _schedule(): void {
    if (this._scheduled || this._writing) return;
    if (this._pendingBytes >= FLUSH_BYTES) {
      this._scheduled = true;
      setImmediate(this._flushOnce).unref();
    } else if (this._timer === undefined) {
      this._timer = setTimeout(this._flushOnce, FLUSH_INTERVAL_MILLIS).unref();
    }
  }

  private _hasQueued(): boolean {
    return this._sink.hasLines() || this._laterValues.length > 0;
  }

  /** Resolves when everything queued so far is on disk. */
  flush(): Promise<void> {
    if (!this._hasQueued() && !this._writing) return Promise.resolve();
    return new Promise((resolve) => {
      this._idleWaiters.push(resolve);
      if (!this._writing && !this._scheduled) this._flushOnce();
    });
  }

  /** Writes what is queued synchronously: for `process.on('exit')`, where nothing async runs. */
  flushSync(): void {
    this._encodeLater();
    const chunks = this._sink.takeChunks(false);
    this._pendingBytes = 0;
    for (const chunk of chunks) {
      try {
        if (chunk.rotateFirst) this._rotate();
        writeSync(this._fd, chunk.data, 0, chunk.used);
      } catch (error) {
        reportError('failed', `file output ${this.path}`, error, chunk.lines);
      }
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this._closed = true;
    if (this._fd >= 0) {
      closeSync(this._fd);
      this._fd = -1;
    }
  }

  private readonly _flushOnce = (): void => {
    this._scheduled = false;
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    if (this._writing) return;
    this._encodeLater();
    // Everything queued up to the next rotation, in one gathered write.
    const batch = this._sink.takeChunks(true);
    if (batch.length === 0) {
      this._notifyIdle();
      return;
    }
    this._writing = true;
    try {
      if (batch[0]!.rotateFirst) this._rotate();
    } catch (error) {
      reportError('failed', `file rotation ${this.path}`, error);
    }
    writev(this._fd, batch.map((c) => c.data.subarray(0, c.used)), null, (error) => {
      for (const chunk of batch) {
        this._pendingBytes -= chunk.used;
        this._sink.recycle(chunk.data);
      }
      if (error) {
        reportError('failed', `file output ${this.path}`, error, batch.reduce((n, c) => n + c.lines, 0));
        this._reopen();
      }
      this._writing = false;
      // Lines that came in during the write go now only if someone waits for them or
      // they fill a batch; else at the timer, so that a busy server makes few large writes.
      if (this._idleWaiters.length > 0 || this._pendingBytes >= FLUSH_BYTES) this._flushOnce();
      else if (this._hasQueued()) this._timer ??= setTimeout(this._flushOnce, FLUSH_INTERVAL_MILLIS).unref();
    });
  };

  private _rotate(): void {
    closeSync(this._fd);
    this._fd = -1;
    if (this._backups === 0) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(`${this.path}.${this._backups}`, { force: true });
      for (let i = this._backups - 1; i >= 1; i--) {
        const from = `${this.path}.${i}`;
        if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
      }
      renameSync(this.path, `${this.path}.1`);
    }
    this._open();
  }

  private _open(): void {
    this._fd = openSync(this.path, 'a');
  }

  private _reopen(): void {
    try {
      if (this._fd >= 0) closeSync(this._fd);
    } catch {
      // already gone
    }
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this._open();
    } catch (error) {
      reportError('failed', `file output ${this.path} (reopen)`, error);
    }
  }

  private _notifyIdle(): void {
    const waiters = this._idleWaiters;
    this._idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A plain string line. */
function encodeText(out: ByteSink, line: string): void {
  out.reserve(line.length * 3); // UTF-8 takes at most three bytes per UTF-16 code unit
  out.pos += out.buf.write(line, out.pos);
}

/**
 * The pending lines: a current buffer being filled (the line being encoded starts at
 * `lineStart`) and the sealed buffers before it. A line never straddles two buffers:
 * one that outgrows its buffer moves, whole, to a fresh one.
 */
class LineSink implements ByteSink {
  buf: Buffer = NO_BUFFER;
  pos = 0;
  /** Where the line being encoded starts; everything before it is complete lines. */
  lineStart = 0;
  private _lines = 0;
  private _rotateFirst = false;
  private _sealed: Chunk[] = [];
  private readonly _pool: Buffer[] = [];

  reserve(n: number): void {
    if (this.pos + n > this.buf.length) this._moveLineToFreshBuffer(n);
  }

  /** The line just encoded opens a new file: it goes first in a buffer marked to rotate before it. */
  startFileWithLine(): void {
    if (this.lineStart > 0) this._moveLineToFreshBuffer(0);
    this._rotateFirst = true;
  }

  commitLine(): void {
    this.lineStart = this.pos;
    this._lines++;
  }

  hasLines(): boolean {
    return this._sealed.length > 0 || this.lineStart > 0;
  }

  /**
   * Takes the complete lines for writing: all of them, or (`untilRotation`) those up to
   * the next buffer that must go to a new file.
   */
  takeChunks(untilRotation: boolean): Chunk[] {
    if (this.lineStart > 0) {
      this._seal();
      this.buf = NO_BUFFER;
      this.pos = this.lineStart = 0;
    }
    const sealed = this._sealed;
    let count = sealed.length;
    if (untilRotation) {
      count = Math.min(1, sealed.length);
      while (count < sealed.length && !sealed[count]!.rotateFirst) count++;
    }
    return count === sealed.length ? ((this._sealed = []), sealed) : sealed.splice(0, count);
  }

  /** Takes a written buffer back for reuse. */
  recycle(buffer: Buffer): void {
    if (buffer.length === CHUNK_BYTES && this._pool.length < POOLED_CHUNKS) this._pool.push(buffer);
  }

  private _moveLineToFreshBuffer(extra: number): void {
    const partial = this.pos - this.lineStart;
    const size = partial + extra;
    const fresh = size <= CHUNK_BYTES ? (this._pool.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)) : Buffer.allocUnsafe(size);
    this.buf.copy(fresh, 0, this.lineStart, this.pos);
    if (this.lineStart > 0) this._seal();
    else this.recycle(this.buf);
    this.buf = fresh;
    this.pos = partial;
    this.lineStart = 0;
  }

  private _seal(): void {
    this._sealed.push({ data: this.buf, used: this.lineStart, lines: this._lines, rotateFirst: this._rotateFirst });
    this._lines = 0;
    this._rotateFirst = false;
  }
}
