import { ActivityError, ErrorCode } from '../../internal/errors.ts';
import type { SqlQueryable } from './SqlDriver.ts';

type AnyFn = (...args: unknown[]) => unknown;
type Handle = Record<string, unknown>;

/**
 * Adapts the caller's open transaction to a {@link SqlQueryable}, so an audit row is
 * written on the caller's connection and commits or rolls back with it. Accepts:
 * - a `pg` Client or PoolClient inside BEGIN (`.query(text, values)` → `{ rows }`);
 * - a postgres.js transaction, the `sql` given to `sql.begin(sql => …)` (`.unsafe(text, params)`);
 * - a PGlite transaction, the `tx` given to `db.transaction(tx => …)` (`.query(text, params)` → `{ rows }`).
 *
 * @throws ActivityError UNKNOWN_TRANSACTION for anything else, and for handles that are
 *   not inside a transaction (a pool, postgres.js's top-level `sql`, a PGlite instance, an
 *   idle pg client): each statement could then run on its own and the chain lock would not hold.
 */
export function queryableFromTransaction(transaction: unknown): SqlQueryable {
  if (typeof transaction === 'function' && typeof (transaction as unknown as Handle).unsafe === 'function') {
    const sql = transaction as unknown as Handle;
    if (typeof sql.savepoint !== 'function') {
      throw unusable('a postgres.js `sql` outside a transaction; pass the `sql` that `sql.begin(sql => …)` gives you');
    }
    const unsafe = sql.unsafe as AnyFn;
    return {
      query: async <R>(text: string, params: readonly unknown[] = []) => (await (unsafe.call(sql, text, [...params]) as Promise<R[]>)) as R[],
    };
  }
  const handle = transaction as Handle | null;
  if (handle !== null && typeof handle === 'object' && typeof handle.query === 'function') {
    const query = handle.query as AnyFn;
    if (typeof handle.rollback === 'function' && typeof handle.exec === 'function' && 'closed' in handle) {
      return wrapRowsResult(handle, query); // PGlite Transaction
    }
    if (typeof handle.transaction === 'function' && typeof handle.exec === 'function') {
      throw unusable('a PGlite database, not a transaction; pass the `tx` that `db.transaction(tx => …)` gives you');
    }
    if (typeof handle.getTransactionStatus === 'function') {
      const status = (handle.getTransactionStatus as AnyFn).call(handle);
      if (status === 'I') throw unusable('a pg client that is not inside a transaction; run BEGIN first');
      return wrapRowsResult(handle, query); // pg Client / PoolClient
    }
    if (typeof handle.connect === 'function' && 'totalCount' in handle) {
      throw unusable('a pg Pool; pass the client from `await pool.connect()` after BEGIN');
    }
    if (typeof handle.release === 'function' || typeof handle.connect === 'function') {
      return wrapRowsResult(handle, query); // an older pg client without getTransactionStatus
    }
  }
  throw unusable(`an unknown handle (${describe(transaction)})`);
}

function wrapRowsResult(handle: Handle, query: AnyFn): SqlQueryable {
  return {
    query: async <R>(text: string, params: readonly unknown[] = []) =>
      ((await (query.call(handle, text, [...params]) as Promise<{ rows: R[] }>)).rows),
  };
}

function unusable(what: string): ActivityError {
  return new ActivityError(
    ErrorCode.UNKNOWN_TRANSACTION,
    `otel-activity: recordAudit({ transaction }) got ${what}. Supported: a pg client inside BEGIN, a postgres.js transaction, a PGlite transaction.`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
