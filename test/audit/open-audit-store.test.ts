import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { ErrorCode } from '../../src/internal/errors.ts';
import { auditEvent } from '../support/audit-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const BASE = { enabled: true, dataDir: 'memory://', batchSize: 500 };

describe('openAuditStore', () => {
  let dir: string;
  let db: TestDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otel-activity-audit-'));
    db = await createTestDatabase();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  describe('embedded (no databaseUrl)', () => {
    it('should create the data directory, and keep events across a reopen', async () => {
      const dataDir = join(dir, 'nested', 'audit');
      const event = auditEvent({ tenantId: 'persist' });
      const first = await openAuditStore({ ...BASE, dataDir });
      expect(first.kind).toBe('pglite');
      await first.append([event]);
      await first.close();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

      const second = await openAuditStore({ ...BASE, dataDir });
      try {
        expect((await second.get({ tenantId: 'persist' }, event.eventId))?.eventId).toBe(event.eventId);
        expect((await second.verify({ tenantId: 'persist' })).ok).toBe(true);
      } finally {
        await second.close();
      }
    });

    it('should refuse a second open of a directory that is in use', async () => {
      const dataDir = join(dir, 'locked');
      const store = await openAuditStore({ ...BASE, dataDir });
      try {
        await expect(openAuditStore({ ...BASE, dataDir })).rejects.toMatchObject({ code: ErrorCode.AUDIT_UNAVAILABLE });
      } finally {
        await store.close();
      }
      const again = await openAuditStore({ ...BASE, dataDir });
      await again.close();
    });
  });

  describe('postgres (databaseUrl)', () => {
    it('should migrate once even when several processes start together', async () => {
      const stores = await Promise.all([1, 2, 3].map(() => openAuditStore({ ...BASE, databaseUrl: db.url })));
      try {
        expect(stores.map((s) => s.kind)).toEqual(['postgres', 'postgres', 'postgres']);
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        expect((await client.query('SELECT version FROM activity_log_migrations ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
        expect((await client.query(`SELECT count(*)::int AS n FROM activity_log_meta WHERE key = 'hmac_key'`)).rows).toEqual([{ n: 1 }]);
        await client.end();
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('should refuse an HMAC key other than the one the database was created with', async () => {
      const keyed = await createTestDatabase();
      try {
        const store = await openAuditStore({ ...BASE, databaseUrl: keyed.url, hmacKey: 'first secret' });
        await store.close();
        const same = await openAuditStore({ ...BASE, databaseUrl: keyed.url, hmacKey: 'first secret' });
        await same.close();
        const wrong = openAuditStore({ ...BASE, databaseUrl: keyed.url, hmacKey: 'second secret' });
        await expect(wrong).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG, setting: 'ACTIVITY_AUDIT_HMAC_KEY' });
        await expect(wrong).rejects.not.toThrow(/second secret/);
        await expect(openAuditStore({ ...BASE, databaseUrl: keyed.url })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
      } finally {
        await keyed.drop();
      }
    });

    it('should reject when the database cannot be reached', async () => {
      await expect(openAuditStore({ ...BASE, databaseUrl: 'postgres://root@127.0.0.1:1/none' })).rejects.toThrow();
    });
  });

  it('should refuse to open when the audit store is off', async () => {
    await expect(openAuditStore({ ...BASE, enabled: false })).rejects.toMatchObject({ code: ErrorCode.AUDIT_UNAVAILABLE });
  });

  it('should reject every call after close', async () => {
    const store = await openAuditStore(BASE);
    await store.close();
    await expect(store.recent({ tenantId: 'x' })).rejects.toMatchObject({ code: ErrorCode.AUDIT_UNAVAILABLE });
    await expect(store.append([auditEvent()])).rejects.toMatchObject({ code: ErrorCode.AUDIT_UNAVAILABLE });
  });
});
