import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../../support/audit-store.ts';

describe.each(AUDIT_BACKENDS)('activity_log_time_idx on %s', (backend) => {
  let t: TestAuditStore;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
    await t.store.append([auditEvent({ tenantId: 'a' }), auditEvent({ tenantId: 'b' })]);
  });
  afterAll(async () => t?.close());

  it('should index the table in time order across tenants, on every partition', async () => {
    const rows = await t.sql<{ tablename: string; indexdef: string }>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE tablename LIKE 'activity_log%' AND indexdef LIKE '%(created_at, event_id)'`,
    );
    const tables = rows.map((r) => r.tablename);
    expect(tables).toContain('activity_log');
    expect(tables).toContain('activity_log_default');
    const month = new Date();
    expect(tables).toContain(`activity_log_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`);
  });

  it("should let an admin's all-tenant export page through it, with no sort", async () => {
    // Planner settings hold per connection: one session for the three statements.
    const client = t.pglite === undefined ? new pg.Client({ connectionString: t.url }) : undefined;
    await client?.connect();
    const query = async (text: string): Promise<Record<string, unknown>[]> => (client !== undefined ? (await client.query(text)).rows : (await t.pglite!.query<Record<string, unknown>>(text)).rows);
    try {
      // Forbid what a small table would rather do, so the plan shows whether an ordered index exists.
      await query('SET enable_seqscan = off');
      await query('SET enable_sort = off');
      const plan = await query('EXPLAIN SELECT event_id FROM activity_log ORDER BY created_at, event_id LIMIT 500');
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Merge Append/);
      expect(text).toMatch(/created_at_event_id_idx/);
      expect(text).not.toMatch(/(^|->)\s*Sort\s+\(/m); // a Sort node (Merge Append's "Sort Key" line is fine)
    } finally {
      if (client !== undefined) await client.end();
      else {
        await query('RESET enable_seqscan');
        await query('RESET enable_sort');
      }
    }
  });
});
