import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync, writev } from 'node:fs';
import { dirname } from 'node:path';
import { reportError } from '../internal/report-error.ts';

export interface RotatingFileWriterOptions {
  path: string;
  /** Rotate before the file would grow past this many bytes. Default 10485760 (10 MiB). */
  maxBytes?: number;
  /** Rotated files kept: `path.1` (newest) … `path.N`. Default 5; 0 keeps none. */
  backups?: number;
  /** Lines waiting for the disk beyond this many bytes are dropped (and counted). Default 33554432 (32 MiB). */
  maxPendingBytes?: number;
}

/** Lines are encoded into buffers of this size (bytes); a flush writes all of them at once. */
const CHUNK_BYTES = 256 * 1024;
/** Queued bytes that trigger a write at the next turn of the event loop. */
const FLUSH_BYTES = 64 * 1024;
/** Longest time a line waits for a write, in milliseconds (the disk sees few large writes, not one per request). */
const FLUSH_INTERVAL_MILLIS = 25;

/** Encoded lines waiting for the disk; `rotateFirst`: the file must rotate before they go. */
interface Chunk {
  data: Buffer;
  used: number;
  lines: number;
  rotateFirst: boolean;
}

/**
 * Appends lines to a file with size-based rotation, off the request path: `write()`
 * encodes the line into a pending buffer; a gathered write goes to the disk once 64 KiB
 * are queued or 25 ms have passed, and rotation happens between writes, decided line by line, so a
 * line is never split across files or interleaved with another. One writer per file
 * per process (two processes rotating one file would race: give each its own file).
 */
export class RotatingFileWriter {
  readonly path: string;
  private readonly _maxBytes: number;
  private readonly _backups: number;
  private readonly _maxPendingBytes: number;
  private _fd = -1;
  /** Size the file will have once every pending chunk is written (since the last rotation). */
  private _projectedSize = 0;
  private _chunks: Chunk[] = [];
  private _pendingBytes = 0;
  private _writing = false;
  private _scheduled = false;
  private _timer: NodeJS.Timeout | undefined;
  private _idleWaiters: (() => void)[] = [];
  private _closed = false;

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
    if (this._closed) return;
    if (this._pendingBytes > this._maxPendingBytes) {
      reportError('dropped', `file output ${this.path} (disk not keeping up)`, new Error('pending buffer full'));
      return;
    }
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    let chunk = this._chunks[this._chunks.length - 1];
    const rotate = this._projectedSize > 0 && this._projectedSize + bytes > this._maxBytes;
    if (chunk === undefined || rotate || chunk.used + bytes > chunk.data.length) {
      chunk = { data: Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes)), used: 0, lines: 0, rotateFirst: rotate };
      this._chunks.push(chunk);
      if (rotate) this._projectedSize = 0;
    }
    chunk.used += chunk.data.write(line, chunk.used, 'utf8');
    chunk.data[chunk.used++] = 10; // '\n'
    chunk.lines++;
    this._projectedSize += bytes;
    this._pendingBytes += bytes;
    if (this._scheduled || this._writing) return;
    if (this._pendingBytes >= FLUSH_BYTES) {
      this._scheduled = true;
      setImmediate(this._flushOnce).unref();
    } else if (this._timer === undefined) {
      this._timer = setTimeout(this._flushOnce, FLUSH_INTERVAL_MILLIS).unref();
    }
  }

  /** Resolves when everything queued so far is on disk. */
  flush(): Promise<void> {
    if (this._chunks.length === 0 && !this._writing) return Promise.resolve();
    return new Promise((resolve) => {
      this._idleWaiters.push(resolve);
      if (!this._writing && !this._scheduled) this._flushOnce();
    });
  }

  /** Writes what is queued synchronously: for `process.on('exit')`, where nothing async runs. */
  flushSync(): void {
    const chunks = this._chunks;
    this._chunks = [];
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
    if (this._chunks.length === 0) {
      this._notifyIdle();
      return;
    }
    // Everything queued up to the next rotation, in one gathered write.
    const first = this._chunks[0]!;
    let count = 1;
    while (count < this._chunks.length && !this._chunks[count]!.rotateFirst) count++;
    const batch = this._chunks.splice(0, count);
    this._writing = true;
    try {
      if (first.rotateFirst) this._rotate();
    } catch (error) {
      reportError('failed', `file rotation ${this.path}`, error);
    }
    writev(this._fd, batch.map((c) => c.data.subarray(0, c.used)), null, (error) => {
      for (const chunk of batch) this._pendingBytes -= chunk.used;
      if (error) {
        reportError('failed', `file output ${this.path}`, error, batch.reduce((n, c) => n + c.lines, 0));
        this._reopen();
      }
      this._writing = false;
      this._flushOnce();
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
