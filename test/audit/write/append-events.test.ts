import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditStore } from '../../../src/audit/AuditStore.ts';
import { openAuditStore } from '../../../src/audit/open-audit-store.ts';
import { auditEvent } from '../../support/audit-store.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';

describe('appendEvents with concurrent writers on postgres', () => {
  let db: TestDatabase;
  let stores: AuditStore[];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Three stores = three processes sharing one database.
    stores = await Promise.all([0, 1, 2].map(() => openAuditStore({ enabled: true, dataDir: 'memory://', batchSize: 25, databaseUrl: db.url })));
  });
  afterAll(async () => {
    await Promise.all((stores ?? []).map((s) => s.close()));
    await db?.drop();
  });

  it('should keep every tenant chain gapless when writers interleave across tenants', async () => {
    const batches = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 40 }, (_, j) => auditEvent({ tenantId: ['x', 'y', 'z'][(i + j) % 3] })),
    );
    await Promise.all(batches.map((batch, i) => stores[i % 3]!.append(batch)));
    const result = await stores[0]!.verify({ allTenants: true });
    expect(result.ok).toBe(true);
    expect(result.tenants.map((t) => [t.tenantId, t.rows])).toEqual([
      ['x', 160],
      ['y', 160],
      ['z', 160],
    ]);
  });

  it('should insert a batch sent by several writers at once exactly once', async () => {
    const batch = Array.from({ length: 60 }, () => auditEvent({ tenantId: 'retry' }));
    const outcomes = await Promise.all(stores.map((s) => s.append(batch)));
    expect(outcomes.reduce((sum, o) => sum + o.inserted, 0)).toBe(60);
    expect(outcomes.reduce((sum, o) => sum + o.duplicates, 0)).toBe(120);
    expect(await stores[1]!.verify({ tenantId: 'retry' })).toMatchObject({ ok: true, tenants: [{ rows: 60 }] });
  });
});
