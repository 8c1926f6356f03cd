import { readdirSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { uuidv7 } from '../../internal/uuidv7.ts';
import type { AuditEventInput } from '../AuditStore.ts';

/** Where and how much. */
export interface AuditSpoolOptions {
  /** Directory of the spool files; created at the first write. */
  dir: string;
  /** Bound of all spool files together, in bytes. */
  maxBytes: number;
}

/** One spooled batch, oldest first. */
export interface SpoolFile {
  name: string;
  events: AuditEventInput[];
  /** Lines that could not be parsed (the file was damaged); they are lost. */
  unreadable: number;
}

const SUFFIX = '.jsonl';

/**
 * Audit events waiting on disk while the database is unreachable: one JSON-lines file
 * per batch, named by a UUIDv7 so names sort by time. A file is written under a
 * temporary name, fsynced, then renamed, so a crash never leaves half a batch behind; it
 * is deleted only after its events are stored (a crash in between replays it, and the
 * store drops the duplicates by event id). Bounded: a batch that would take the spool
 * past `maxBytes` is refused, and the caller counts it.
 */
export class AuditSpool {
  private readonly _dir: string;
  private readonly _maxBytes: number;
  private _bytes = 0;
  private _files = 0;

  constructor(options: AuditSpoolOptions) {
    this._dir = options.dir;
    this._maxBytes = options.maxBytes;
    for (const name of this._list()) {
      try {
        this._bytes += statSync(join(this._dir, name)).size;
        this._files++;
      } catch {
        // removed meanwhile (another process replayed it)
      }
    }
  }

  /** Bytes spooled (as seen by this process). */
  get bytes(): number {
    return this._bytes;
  }

  /** Batch files waiting. */
  get files(): number {
    return this._files;
  }

  /**
   * Writes a batch durably.
   * @returns false (and writes nothing) when it would exceed the bound.
   */
  async write(events: readonly AuditEventInput[]): Promise<boolean> {
    const data = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
    if (this._bytes + data.length > this._maxBytes) return false;
    // Audit rows carry personal data: only this user may read the spool.
    await mkdir(this._dir, { recursive: true, mode: 0o700 });
    const name = `${uuidv7()}${SUFFIX}`;
    const tmp = join(this._dir, `.${name}.tmp`);
    const file = await open(tmp, 'wx', 0o600);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, join(this._dir, name));
    this._bytes += data.length;
    this._files++;
    return true;
  }

  /** The oldest batch, or undefined when the spool is empty. */
  async oldest(): Promise<SpoolFile | undefined> {
    for (const name of this._list()) {
      let text: string;
      try {
        text = await readFile(join(this._dir, name), 'utf8');
      } catch {
        continue; // another process took it
      }
      const events: AuditEventInput[] = [];
      let unreadable = 0;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        try {
          const e = JSON.parse(line) as AuditEventInput;
          events.push({ ...e, occurredAt: new Date(e.occurredAt as unknown as string) });
        } catch {
          unreadable++;
        }
      }
      return { name, events, unreadable };
    }
    return undefined;
  }

  /** Deletes a batch once its events are stored. */
  async remove(name: string): Promise<void> {
    const path = join(this._dir, name);
    const size = await stat(path).then((s) => s.size, () => 0);
    await rm(path, { force: true });
    this._bytes = Math.max(0, this._bytes - size);
    this._files = Math.max(0, this._files - 1);
  }

  private _list(): string[] {
    try {
      return readdirSync(this._dir).filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.')).sort();
    } catch {
      return []; // no spool directory yet
    }
  }
}
