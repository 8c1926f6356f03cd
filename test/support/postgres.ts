import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth), used to create and drop throwaway databases. */
export const ADMIN_DATABASE_URL = process.env.ACTIVITY_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** A database that exists for one test file. */
export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  name: string;
  /** Drops it (terminating any connection still open). */
  drop(): Promise<void>;
}

/**
 * Creates an empty database `activity_test_<random>` on the machine's PostgreSQL, so test
 * files running in parallel never share tables. Call `drop()` in afterAll.
 */
export async function createTestDatabase(prefix = 'activity_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await waitForConnectionsToClose(name);
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * `pool.end()` in `pg` resolves before its sockets have closed. Terminating such a
 * half-closed connection (DROP ... WITH FORCE) makes its client emit an 'error' after
 * the test file has finished, which vitest reports as an unhandled error. So wait, up
 * to two seconds, for the database's connections to go away on their own first.
 */
async function waitForConnectionsToClose(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 40; attempt++) {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement); // the name is generated here from hex digits, never user input
  } finally {
    await client.end();
  }
}
