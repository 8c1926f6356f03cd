import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_BACKENDS, openTestAuditStore, type TestAuditStore } from '../../support/audit-store.ts';

describe.each(AUDIT_BACKENDS)('activity_log_erasures on %s', (backend) => {
  let t: TestAuditStore;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
    await t.store.anonymize({ tenantId: 'a' }, 'someone', { userId: 'dpo', tenantId: 'a' });
  });
  afterAll(async () => t?.close());

  it('should hold one row per anonymisation: pseudonym, tenant and time', async () => {
    const rows = await t.sql<{ subject_digest: string; tenant_id: string | null; erased_at: Date }>('SELECT * FROM activity_log_erasures');
    expect(rows).toEqual([{ subject_digest: expect.stringMatching(/^[0-9a-f]{64}$/), tenant_id: 'a', erased_at: expect.any(Date) }]);
  });

  it('should refuse UPDATE, DELETE and TRUNCATE', async () => {
    await expect(t.sql('UPDATE activity_log_erasures SET tenant_id = NULL')).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.sql('DELETE FROM activity_log_erasures')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(t.sql('TRUNCATE activity_log_erasures')).rejects.toThrow(/TRUNCATE refused/);
    expect(await t.sql('SELECT count(*)::int AS n FROM activity_log_erasures')).toEqual([{ n: 1 }]);
  });
});
