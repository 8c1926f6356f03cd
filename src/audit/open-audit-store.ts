import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { ResolvedAuditConfig } from '../config/options.ts';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import type { AuditStore } from './AuditStore.ts';
import type { SqlDriver } from './driver/SqlDriver.ts';
import { loadHmacKey } from './schema/load-hmac-key.ts';
import { runMigrations } from './schema/run-migrations.ts';
import { SqlAuditStore } from './SqlAuditStore.ts';

/** Optional handles to reuse instead of opening new ones. */
export interface OpenAuditStoreOptions {
  /**
   * An open PGlite instance to use instead of opening `dataDir` (for apps that keep their
   * own data in the same embedded database and pass its transactions to recordAudit).
   * `close()` leaves it open.
   */
  pglite?: PGlite;
  /** A `pg` Pool to use instead of opening one on `databaseUrl`. `close()` leaves it open. */
  pool?: pg.Pool;
}

/** The settings `openAuditStore` reads: `resolveConfig().audit`. */
export type AuditStoreConfig = Pick<ResolvedAuditConfig, 'enabled' | 'databaseUrl' | 'dataDir' | 'hmacKey' | 'batchSize'>;

/**
 * Opens the audit store and migrates it: PostgreSQL when `databaseUrl` is set
 * (`ACTIVITY_AUDIT_DATABASE_URL`, a `pg` Pool of 4 connections), else the embedded PGlite
 * database in `dataDir` (default `data/audit`, created if missing, locked to this process;
 * `memory://` keeps it in memory). Runs the versioned migrations, loads (or first creates)
 * the HMAC key and creates the monthly partitions around now.
 *
 * @throws ActivityError AUDIT_UNAVAILABLE when `enabled` is false (`ACTIVITY_AUDIT=off`) or the
 *   embedded directory is open in another process; ActivityConfigError when `hmacKey` does
 *   not match the database; the driver's error when the database cannot be reached.
 */
export async function openAuditStore(config: AuditStoreConfig, options: OpenAuditStoreOptions = {}): Promise<AuditStore> {
  if (!config.enabled) {
    throw new ActivityError(ErrorCode.AUDIT_UNAVAILABLE, 'otel-activity: the audit store is disabled (ACTIVITY_AUDIT=off)');
  }
  // The drivers (and `pg` or PGlite behind them) load here, at the first open, not
  // with otel-activity: most processes never open a store, and loading both took about
  // 100 ms of every start.
  let driver: SqlDriver;
  if (options.pool || config.databaseUrl) {
    const { PgPoolDriver } = await import('./driver/PgPoolDriver.ts');
    driver = new PgPoolDriver(options.pool ?? (config.databaseUrl as string));
  } else {
    const { PgliteDriver } = await import('./driver/PgliteDriver.ts');
    driver = await PgliteDriver.open(options.pglite ?? config.dataDir);
  }
  try {
    await runMigrations(driver); // the key lives in a table the migrations create
    const hmacKey = await loadHmacKey(driver, config.hmacKey);
    const store = new SqlAuditStore({ driver, hmacKey, batchSize: config.batchSize });
    await store.migrate(); // nothing left to apply; creates the partitions around now
    return store;
  } catch (err) {
    await driver.close().catch(() => {});
    throw err;
  }
}
