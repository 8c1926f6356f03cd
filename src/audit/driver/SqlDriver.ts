/**
 * The one seam between the audit store and a database client: the queries are
 * written once against this and run on `pg`, PGlite or a caller's transaction.
 */

/** Something that runs one parameterised statement and returns its rows. */
export interface SqlQueryable {
  /** `text` uses `$1..$n` placeholders; values are never spliced into the text. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A connection pool or an embedded database the store owns. */
export interface SqlDriver extends SqlQueryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in BEGIN … COMMIT on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
