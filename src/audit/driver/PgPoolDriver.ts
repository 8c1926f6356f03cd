import { diag } from '@opentelemetry/api';
import pg from 'pg';
import type { SqlDriver, SqlQueryable } from './SqlDriver.ts';

/** Settings of the pool the store opens for `ACTIVITY_AUDIT_DATABASE_URL`. */
export interface PgPoolDriverOptions {
  /** Connections. Default 4: writes are batched, so a few suffice. */
  max?: number;
  /** Give up connecting after this many milliseconds, so an outage is noticed. Default 5000. */
  connectionTimeoutMillis?: number;
  /** Client-side limit per statement in milliseconds (0 = none). Default 60000. */
  queryTimeoutMillis?: number;
}

/** {@link SqlDriver} over a `pg` Pool (real PostgreSQL). */
export class PgPoolDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  private readonly _pool: pg.Pool;
  private readonly _ownsPool: boolean;

  /** Opens a pool on `connectionString`, or wraps an existing pool (which `close()` then leaves open). */
  constructor(source: string | pg.Pool, options: PgPoolDriverOptions = {}) {
    if (typeof source === 'string') {
      this._pool = new pg.Pool({
        connectionString: source,
        max: options.max ?? 4,
        connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
        query_timeout: options.queryTimeoutMillis ?? 60_000,
        idleTimeoutMillis: 30_000,
        keepAlive: true,
        application_name: 'otel-activity',
      });
      this._ownsPool = true;
    } else {
      this._pool = source;
      this._ownsPool = false;
    }
    // An idle client losing its connection emits 'error' on the pool; unhandled, it
    // would crash the host process during a database outage.
    this._pool.on('error', (err) => diag.warn(`otel-activity: audit database connection lost: ${err.message}`));
  }

  async query<R>(text: string, params?: readonly unknown[]): Promise<R[]> {
    const result = await this._pool.query(text, params as unknown[] | undefined);
    return result.rows as R[];
  }

  async exec(script: string): Promise<void> {
    await this._pool.query(script);
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this._pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose socket dies emits 'error' besides failing the query; the
    // pool only listens while the client is idle, and an unheard 'error' would crash the host.
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const tx: SqlQueryable = {
        query: async <R>(text: string, params?: readonly unknown[]) =>
          (await client.query(text, params as unknown[] | undefined)).rows as R[],
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error; // the connection is gone: do not return it to the pool
      }
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this._ownsPool) await this._pool.end();
  }
}
