import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/internal/errors.ts';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../../support/audit-store.ts';

describe.each(AUDIT_BACKENDS)('anonymize on %s', (backend) => {
  let t: TestAuditStore;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
    const person = { userId: 'alice', userName: 'Alice Liddell', ipAddress: '198.51.100.7', userAgent: 'Firefox', sessionId: 'sess-1' };
    await t.store.append([
      ...Array.from({ length: 4 }, () => auditEvent({ tenantId: 'a', ...person })),
      ...Array.from({ length: 2 }, () => auditEvent({ tenantId: 'a', userId: 'bob' })),
      ...Array.from({ length: 3 }, () => auditEvent({ tenantId: 'b', ...person })),
    ]);
  });
  afterAll(async () => t?.close());

  it("should remove the user's personal fields in the tenant, keep the activity, and keep the chain verifiable", async () => {
    const before = (await t.store.trail({ tenantId: 'a' }, 'alice')).items;
    const result = await t.store.anonymize({ tenantId: 'a' }, 'alice', { userId: 'dpo', tenantId: 'a' });

    expect(result).toEqual({ updated: 4 });
    expect((await t.store.trail({ tenantId: 'a' }, 'alice')).items).toEqual([]);
    for (const old of before) {
      const now = await t.store.get({ tenantId: 'a' }, old.eventId);
      expect(now).toEqual({ ...old, userId: null, userName: null, ipAddress: null, userAgent: null, sessionId: null });
    }
    expect((await t.store.trail({ tenantId: 'a' }, 'bob')).items).toHaveLength(2);
    expect((await t.store.trail({ tenantId: 'b' }, 'alice')).items).toHaveLength(3);
    expect((await t.store.verify({ allTenants: true })).ok).toBe(true);
  });

  it('should audit itself without writing the user id back', async () => {
    const [event] = (await t.store.search({ tenantId: 'a' }, { action: 'ANONYMIZE' })).items;
    expect(event).toMatchObject({ userId: 'dpo', resourceType: 'user', category: 'user_management', details: { updated: 4, subjectDigest: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(JSON.stringify(event)).not.toMatch(/alice/i);
  });

  it('should reach every tenant for an all-tenants scope', async () => {
    expect(await t.store.anonymize({ allTenants: true }, 'alice', { userId: 'dpo' })).toEqual({ updated: 3 });
    expect((await t.store.search({ allTenants: true }, { userId: 'alice' })).items).toEqual([]);
    expect((await t.store.verify({ allTenants: true })).ok).toBe(true);
  });

  it('should also anonymise events that happened before the erasure but arrive after it (spooled, re-sent)', async () => {
    const person = { userId: 'carol', userName: 'Carol', ipAddress: '203.0.113.9', userAgent: 'Safari', sessionId: 'sess-c' };
    await t.store.anonymize({ tenantId: 'a' }, 'carol', { userId: 'dpo', tenantId: 'a' });
    const earlier = new Date(Date.now() - 60_000);
    const late = auditEvent({ tenantId: 'a', occurredAt: earlier, ...person });
    const otherTenant = auditEvent({ tenantId: 'b', occurredAt: earlier, ...person });
    const afterwards = auditEvent({ tenantId: 'a', occurredAt: new Date(Date.now() + 60_000), ...person });
    expect(await t.store.append([late, otherTenant, afterwards])).toEqual({ inserted: 3, duplicates: 0 });

    expect(await t.store.get({ tenantId: 'a' }, late.eventId)).toMatchObject({ userId: null, userName: null, ipAddress: null, userAgent: null, sessionId: null, action: late.action });
    expect(await t.store.get({ tenantId: 'b' }, otherTenant.eventId)).toMatchObject({ userId: 'carol', sessionId: 'sess-c' });
    expect(await t.store.get({ tenantId: 'a' }, afterwards.eventId)).toMatchObject({ userId: 'carol', sessionId: 'sess-c' });
    expect((await t.store.verify({ allTenants: true })).ok).toBe(true);
  });

  it('should register each erasure by pseudonym only, never by user id', async () => {
    const rows = await t.sql('SELECT * FROM activity_log_erasures');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(rows)).not.toMatch(/alice|carol/);
  });

  it('should refuse an empty user id', async () => {
    await expect(t.store.anonymize({ tenantId: 'a' }, '')).rejects.toMatchObject({ code: ErrorCode.INVALID_QUERY });
  });
});
