import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity, type ActivityHandle } from '../../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';

const recorder = activity.getRecorder('billing');

/** Rows of the audit table and of the app's own table, read straight from the database. */
interface Db {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

describe.each(['postgres', 'pglite'] as const)('recordAudit (%s)', (backend) => {
  let pipeline: TestPipeline;
  let handle: ActivityHandle;
  let db: Db;
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let sql: postgres.Sql | undefined;
  let lite: PGlite | undefined;
  let spoolDir: string;

  beforeAll(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'audit-spool-'));
    if (backend === 'postgres') {
      database = await createTestDatabase();
      pool = new pg.Pool({ connectionString: database.url, max: 4 });
      pool.on('error', () => {}); // an idle connection cut by the final DROP ... WITH FORCE is expected
      sql = postgres(database.url, { max: 2, onnotice: () => {} });
      db = { query: async (text, params) => (await pool!.query(text, params as unknown[])).rows };
      pipeline = startTestPipeline({ console: 'off', audit: { enabled: true, databaseUrl: database.url, spoolDir, flushIntervalMillis: 10 } });
    } else {
      lite = await PGlite.create();
      db = { query: async (text, params) => (await lite!.query(text, params as unknown[])).rows };
      pipeline = startTestPipeline({ console: 'off', audit: { enabled: true, pglite: lite, spoolDir, flushIntervalMillis: 10 } });
    }
    handle = pipeline.handle;
    await db.query('CREATE TABLE invoices (id text PRIMARY KEY, status text NOT NULL)');
    // The store migrates at first use: make sure activity_log exists before transactions use it.
    await recorder.recordAudit({ action: 'READ', resource: { type: 'invoice', id: 'warm-up' } });
    await handle.forceFlush();
  });

  afterAll(async () => {
    await pipeline.stop();
    await pool?.end();
    await sql?.end();
    await lite?.close();
    await database?.drop();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  const auditRows = (eventId: string) => db.query('SELECT * FROM activity_log WHERE event_id = $1', [eventId]);
  const invoice = async (id: string) => (await db.query('SELECT * FROM invoices WHERE id = $1', [id]))[0];

  /** Runs `work` inside a transaction of the app's own driver, committing unless it throws. */
  async function inTransaction(work: (tx: unknown, insert: (id: string) => Promise<void>) => Promise<void>): Promise<void> {
    if (backend === 'postgres') {
      const client = await pool!.connect();
      try {
        await client.query('BEGIN');
        await work(client, async (id) => void (await client.query("INSERT INTO invoices VALUES ($1, 'paid')", [id])));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    } else {
      await lite!.transaction(async (tx) => work(tx, async (id) => void (await tx.query("INSERT INTO invoices VALUES ($1, 'paid')", [id]))));
    }
  }

  it('should commit the audit row with the business change, and send the record through the pipeline once', async () => {
    let eventId = '';
    await activity.withContext({ user: { id: 'alice' }, tenant: 'org-9' }, () =>
      inTransaction(async (tx, insert) => {
        await insert('INV-1');
        ({ eventId } = await recorder.recordAudit({ action: 'UPDATE', resource: { type: 'invoice', id: 'INV-1' }, details: { status: 'paid', cardNumber: '4111111111111111' } }, { transaction: tx }));
      }),
    );
    await handle.forceFlush();
    expect(await invoice('INV-1')).toMatchObject({ status: 'paid' });
    const rows = await auditRows(eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'UPDATE', resource_type: 'invoice', resource_id: 'INV-1', user_id: 'alice', tenant_id: 'org-9', outcome: 'success' });
    expect(JSON.stringify(rows[0].details)).not.toContain('4111111111111111');
    const records = pipeline.records().filter((r) => r.attributes['audit.event_id'] === eventId);
    expect(records).toHaveLength(1);
    expect(records[0]!.attributes['audit.persisted']).toBe(true);
    expect(records[0]!.body).toMatch(/^📋 User alice updated invoice 'INV-1' at \d\d:\d\d:\d\d → ✅ Result: success$/);
  });

  it('should roll the audit row back with the business change', async () => {
    let eventId = '';
    await expect(
      inTransaction(async (tx, insert) => {
        await insert('INV-2');
        ({ eventId } = await recorder.recordAudit({ action: 'CREATE', resource: { type: 'invoice', id: 'INV-2' } }, { transaction: tx }));
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    await handle.forceFlush();
    expect(eventId).not.toBe('');
    expect(await invoice('INV-2')).toBeUndefined();
    expect(await auditRows(eventId)).toHaveLength(0);
  });

  it('should also work with a postgres.js transaction', async () => {
    if (backend !== 'postgres') return;
    let eventId = '';
    await sql!.begin(async (tx) => {
      await tx`INSERT INTO invoices VALUES ('INV-3', 'draft')`;
      ({ eventId } = await recorder.recordAudit({ action: 'CREATE', resource: { type: 'invoice', id: 'INV-3' } }, { transaction: tx }));
    });
    expect(await auditRows(eventId)).toHaveLength(1);
    await expect(
      sql!.begin(async (tx) => {
        await tx`INSERT INTO invoices VALUES ('INV-4', 'draft')`;
        ({ eventId } = await recorder.recordAudit({ action: 'CREATE', resource: { type: 'invoice', id: 'INV-4' } }, { transaction: tx }));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await auditRows(eventId)).toHaveLength(0);
    expect(await invoice('INV-4')).toBeUndefined();
  });

  it('should write an audit event without a transaction through the pipeline, exactly once', async () => {
    const { eventId } = await activity.withContext({ user: { id: 'bob' }, tenant: 'org-1' }, () =>
      recorder.recordAudit({ action: 'DELETE', resource: { type: 'invoice', id: 'INV-9' }, details: { reason: 'duplicate', password: 'mypassword123' } }),
    );
    await handle.forceFlush();
    const rows = await auditRows(eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'DELETE', user_id: 'bob', tenant_id: 'org-1', details: { reason: 'duplicate', password: 'my*******23' } });
    expect(pipeline.fileLines().filter((l) => l.audit?.event_id === eventId)).toHaveLength(1);
  });

  it('should reject an unknown transaction handle, so the caller\'s transaction fails', async () => {
    await expect(recorder.recordAudit({ action: 'UPDATE', resource: { type: 'invoice', id: 'x' } }, { transaction: { not: 'a client' } })).rejects.toMatchObject({ code: 'ACTIVITY_ERR_UNKNOWN_TRANSACTION' });
  });
});
