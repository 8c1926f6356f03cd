import type { SqlDriver } from '../driver/SqlDriver.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

/** Advisory lock key held while migrating, so concurrent starts migrate once ("otelact" in hex-ish). */
const MIGRATION_LOCK_KEY = 0x07e1ac7;

/**
 * Applies the migrations not yet recorded in `activity_log_migrations`, all in one
 * transaction under an advisory lock: idempotent, and safe when several processes
 * start at once (the others wait, then find nothing to do).
 *
 * @returns the versions applied by this call (empty when up to date).
 */
export async function runMigrations(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return driver.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS activity_log_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>('SELECT version FROM activity_log_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO activity_log_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}
