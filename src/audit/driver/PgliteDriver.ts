import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { acquireDirLock } from './acquire-dir-lock.ts';
import type { SqlDriver, SqlQueryable } from './SqlDriver.ts';

/** {@link SqlDriver} over the embedded PGlite (Postgres in WebAssembly, one connection). */
export class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  private readonly _db: PGlite;
  private readonly _ownsDb: boolean;
  private readonly _unlock: () => void;

  private constructor(db: PGlite, ownsDb: boolean, unlock: () => void) {
    this._db = db;
    this._ownsDb = ownsDb;
    this._unlock = unlock;
  }

  /**
   * Opens (creating if missing) the database in the directory `source`, or wraps an
   * existing instance, which `close()` then leaves open. `memory://` (or undefined) is
   * an in-memory database. A directory is locked to this process while open.
   */
  static async open(source: string | PGlite | undefined): Promise<PgliteDriver> {
    if (source instanceof PGlite) return new PgliteDriver(source, false, () => {});
    if (source === undefined || source.startsWith('memory://')) {
      return new PgliteDriver(await PGlite.create(), true, () => {});
    }
    mkdirSync(source, { recursive: true });
    const unlock = acquireDirLock(source);
    try {
      return new PgliteDriver(await PGlite.create({ dataDir: source }), true, unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** The PGlite instance, so an app can run its own transactions on the same database. */
  get database(): PGlite {
    return this._db;
  }

  async query<R>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return (await this._db.query<R>(text, params as unknown[] | undefined)).rows;
  }

  async exec(script: string): Promise<void> {
    await this._db.exec(script);
  }

  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this._db.transaction((tx) =>
      fn({ query: async <R>(text: string, params?: readonly unknown[]) => (await tx.query<R>(text, params as unknown[] | undefined)).rows }),
    );
  }

  async close(): Promise<void> {
    try {
      if (this._ownsDb && !this._db.closed) await this._db.close();
    } finally {
      this._unlock();
    }
  }
}
