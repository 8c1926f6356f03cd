import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditStore } from '../../../src/audit/AuditStore.ts';
import { openAuditStore } from '../../../src/audit/open-audit-store.ts';
import { ErrorCode } from '../../../src/internal/errors.ts';
import { auditEvent } from '../../support/audit-store.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';

const CONFIG = { enabled: true, dataDir: 'memory://', batchSize: 500 };
const INVOICES = 'CREATE TABLE invoices (id text PRIMARY KEY, status text NOT NULL)';

async function expectChainOk(store: AuditStore, tenantId: string, rows: number) {
  expect(await store.verify({ tenantId })).toMatchObject({ ok: true, tenants: [{ rows }] });
}

describe('appendInTransaction on postgres', () => {
  let db: TestDatabase;
  let store: AuditStore;
  let pool: pg.Pool;
  let sql: postgres.Sql;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await openAuditStore({ ...CONFIG, databaseUrl: db.url });
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
    pool.on('error', () => {}); // an idle connection cut by the final DROP ... WITH FORCE is expected
    await pool.query(INVOICES);
    sql = postgres(db.url, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  const invoice = async (id: string) => (await pool.query('SELECT status FROM invoices WHERE id = $1', [id])).rows;

  describe('with a pg PoolClient', () => {
    it('should commit the audit row with the business change', async () => {
      const event = auditEvent({ tenantId: 'pg-tx' });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`INSERT INTO invoices VALUES ('pg-1', 'paid')`);
        await store.appendInTransaction(client, event);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await invoice('pg-1')).toEqual([{ status: 'paid' }]);
      expect((await store.get({ tenantId: 'pg-tx' }, event.eventId))?.seq).toBe(1);
    });

    it('should roll back the audit row with the business change, leaving no gap in the chain', async () => {
      const event = auditEvent({ tenantId: 'pg-tx' });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`INSERT INTO invoices VALUES ('pg-2', 'paid')`);
        await store.appendInTransaction(client, event);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      expect(await invoice('pg-2')).toEqual([]);
      expect(await store.get({ tenantId: 'pg-tx' }, event.eventId)).toBeUndefined();
      await store.append([auditEvent({ tenantId: 'pg-tx' })]);
      await expectChainOk(store, 'pg-tx', 2);
    });

    it('should also take a plain pg Client inside BEGIN', async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const event = auditEvent({ tenantId: 'pg-client' });
      try {
        await client.query('BEGIN');
        await store.appendInTransaction(client, event);
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
      expect(await store.get({ tenantId: 'pg-client' }, event.eventId)).toBeDefined();
    });

    it('should refuse a client outside a transaction and a pool', async () => {
      const client = await pool.connect();
      try {
        await expect(store.appendInTransaction(client, auditEvent())).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TRANSACTION });
      } finally {
        client.release();
      }
      await expect(store.appendInTransaction(pool, auditEvent())).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TRANSACTION });
    });
  });

  describe('with a postgres.js transaction', () => {
    it('should commit the audit row with the business change', async () => {
      const event = auditEvent({ tenantId: 'pjs-tx', details: { amount: 12.5, tags: ['a', 'b'] } });
      await sql.begin(async (tx) => {
        await tx`INSERT INTO invoices VALUES ('pjs-1', 'paid')`;
        await store.appendInTransaction(tx, event);
      });
      expect(await invoice('pjs-1')).toEqual([{ status: 'paid' }]);
      expect(await store.get({ tenantId: 'pjs-tx' }, event.eventId)).toMatchObject({ seq: 1, details: { amount: 12.5, tags: ['a', 'b'] } });
      await expectChainOk(store, 'pjs-tx', 1);
    });

    it('should roll back the audit row with the business change', async () => {
      const event = auditEvent({ tenantId: 'pjs-tx' });
      await expect(
        sql.begin(async (tx) => {
          await tx`INSERT INTO invoices VALUES ('pjs-2', 'paid')`;
          await store.appendInTransaction(tx, event);
          throw new Error('payment declined');
        }),
      ).rejects.toThrow('payment declined');
      expect(await invoice('pjs-2')).toEqual([]);
      expect(await store.get({ tenantId: 'pjs-tx' }, event.eventId)).toBeUndefined();
    });

    it('should refuse the top-level sql, which is not a transaction', async () => {
      await expect(store.appendInTransaction(sql, auditEvent())).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TRANSACTION });
    });
  });

  it('should refuse an unknown handle', async () => {
    for (const handle of [undefined, null, {}, 'BEGIN', { query: 42 }]) {
      await expect(store.appendInTransaction(handle, auditEvent())).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TRANSACTION });
    }
  });
});

describe('appendInTransaction on pglite', () => {
  let db: PGlite;
  let store: AuditStore;

  beforeAll(async () => {
    db = await PGlite.create();
    store = await openAuditStore(CONFIG, { pglite: db });
    await db.query(INVOICES);
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });

  it('should commit the audit row with the business change', async () => {
    const event = auditEvent({ tenantId: 'lite-tx' });
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO invoices VALUES ('lite-1', 'paid')`);
      await store.appendInTransaction(tx, event);
    });
    expect((await db.query('SELECT status FROM invoices WHERE id = $1', ['lite-1'])).rows).toEqual([{ status: 'paid' }]);
    expect((await store.get({ tenantId: 'lite-tx' }, event.eventId))?.seq).toBe(1);
  });

  it('should roll back the audit row with the business change', async () => {
    const event = auditEvent({ tenantId: 'lite-tx' });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO invoices VALUES ('lite-2', 'paid')`);
        await store.appendInTransaction(tx, event);
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect((await db.query('SELECT status FROM invoices WHERE id = $1', ['lite-2'])).rows).toEqual([]);
    expect(await store.get({ tenantId: 'lite-tx' }, event.eventId)).toBeUndefined();
    await store.append([auditEvent({ tenantId: 'lite-tx' })]);
    await expectChainOk(store, 'lite-tx', 2);
  });

  it('should refuse the database itself, which is not a transaction', async () => {
    await expect(store.appendInTransaction(db, auditEvent())).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_TRANSACTION });
  });
});
