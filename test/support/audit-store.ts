import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { AuditEventInput, AuditStore } from '../../src/audit/AuditStore.ts';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { uuidv7 } from '../../src/internal/uuidv7.ts';
import { createTestDatabase } from './postgres.ts';

/** The two backends every audit store suite runs on. */
export const AUDIT_BACKENDS = ['postgres', 'pglite'] as const;
export type AuditBackend = (typeof AUDIT_BACKENDS)[number];

/** A store on a throwaway database, plus raw SQL access to it (to tamper, or to look). */
export interface TestAuditStore {
  store: AuditStore;
  backend: AuditBackend;
  /** Runs one statement outside the store. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs statements with the append-only triggers off (session_replication_role = replica): a tamperer with superuser rights. */
  tamper(...statements: string[]): Promise<void>;
  /** The database URL (postgres) or the PGlite instance (pglite). */
  url?: string;
  pglite?: PGlite;
  close(): Promise<void>;
}

/** Opens a migrated store on a new Postgres database or an in-memory PGlite. */
export async function openTestAuditStore(backend: AuditBackend, options: { hmacKey?: string; batchSize?: number } = {}): Promise<TestAuditStore> {
  const config = { enabled: true, dataDir: 'memory://', batchSize: options.batchSize ?? 500, hmacKey: options.hmacKey };
  if (backend === 'postgres') {
    const db = await createTestDatabase();
    const store = await openAuditStore({ ...config, databaseUrl: db.url });
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => {}); // an idle connection cut by the final DROP ... WITH FORCE is expected
    return {
      store,
      backend,
      url: db.url,
      sql: async (text, params) => (await pool.query(text, params)).rows,
      tamper: async (...statements) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SET LOCAL session_replication_role = replica');
          for (const s of statements) await client.query(s);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
      close: async () => {
        await store.close();
        await pool.end();
        await db.drop();
      },
    };
  }
  const pglite = await PGlite.create();
  const store = await openAuditStore(config, { pglite });
  return {
    store,
    backend,
    pglite,
    sql: async (text, params) => (await pglite.query(text, params)).rows as never,
    tamper: async (...statements) => {
      await pglite.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        for (const s of statements) await tx.query(s);
      });
    },
    close: async () => {
      await store.close();
      await pglite.close();
    },
  };
}

let counter = 0;

/** An audit event with sensible defaults; `overrides` win. Each call gets a new UUIDv7. */
export function auditEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  counter++;
  return {
    eventId: uuidv7(),
    occurredAt: new Date(),
    action: 'UPDATE',
    resourceType: 'invoice',
    resourceId: `inv-${counter}`,
    userId: 'alice',
    userName: 'Alice',
    tenantId: 'tenant-a',
    requestId: `req-${counter}`,
    ipAddress: '192.0.2.1',
    userAgent: 'test-agent/1.0',
    category: 'data_management',
    level: 'info',
    description: `Invoice inv-${counter} updated`,
    details: { status: 'paid', n: counter },
    ...overrides,
  };
}
