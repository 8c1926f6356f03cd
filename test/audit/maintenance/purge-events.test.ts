import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/internal/errors.ts';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../../support/audit-store.ts';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
const partitionOf = (d: Date) => `activity_log_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

describe.each(AUDIT_BACKENDS)('purge on %s', (backend) => {
  let t: TestAuditStore;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
  });
  afterAll(async () => t?.close());

  it('should remove events older than N days, drop whole old partitions, and keep the chains verifiable', async () => {
    await t.sql('SELECT activity_log_ensure_partition($1::date)', [monthOf(daysAgo(150))]);
    const old = [daysAgo(200), daysAgo(150), daysAgo(95)].map((d) => auditEvent({ tenantId: 'ret', occurredAt: d }));
    const kept = [daysAgo(10), new Date()].map((d) => auditEvent({ tenantId: 'ret', occurredAt: d }));
    const late = auditEvent({ tenantId: 'ret', occurredAt: daysAgo(120) }); // arrives after newer events: mid-chain
    await t.store.append([...old, ...kept]);
    await t.store.append([late]);

    const progress: [number, number][] = [];
    const result = await t.store.purge({ olderThanDays: 90, actor: { userId: 'admin', tenantId: 'ret', requestId: 'req-purge' }, onProgress: (d, n) => progress.push([d, n]) });

    expect(result.deleted).toBe(4);
    expect(result.droppedPartitions).toContain(partitionOf(daysAgo(150)));
    expect(progress.at(-1)).toEqual([1, 1]);
    const left = (await t.store.recent({ tenantId: 'ret' }, { limit: 500 })).items;
    expect(left.filter((e) => e.action !== 'PURGE').map((e) => e.eventId)).toEqual([kept[1]!.eventId, kept[0]!.eventId]);
    const [purge] = left.filter((e) => e.action === 'PURGE');
    expect(purge).toMatchObject({ userId: 'admin', requestId: 'req-purge', category: 'system', details: { olderThanDays: 90, deleted: 4 } });
    expect(await t.store.verify({ tenantId: 'ret' })).toMatchObject({ ok: true, tenants: [{ ok: true, rows: 3, head: { seq: 7 } }] });

    await t.store.append([auditEvent({ tenantId: 'ret' })]);
    expect((await t.store.verify({ allTenants: true })).ok).toBe(true);
  });

  it('should merge adjacent purged ranges and purge nothing twice', async () => {
    await t.store.append([daysAgo(200), daysAgo(100), new Date()].map((d) => auditEvent({ tenantId: 'merge', occurredAt: d })));
    await t.store.purge({ olderThanDays: 150, actor: { tenantId: 'ops' } });
    await t.store.purge({ olderThanDays: 90, actor: { tenantId: 'ops' } });
    expect(await t.sql(`SELECT from_seq::int AS "from", to_seq::int AS "to", rows::int AS rows FROM activity_log_purged WHERE tenant_id = 'merge'`)).toEqual([
      { from: 1, to: 2, rows: 2 },
    ]);
    expect((await t.store.purge({ olderThanDays: 90, actor: { tenantId: 'ops' } })).deleted).toBe(0);
    expect(await t.store.verify({ allTenants: true })).toMatchObject({ ok: true });
    expect((await t.store.search({ tenantId: 'ops' }, { action: 'PURGE' })).items).toHaveLength(3);
  });

  it('should refuse a negative or non-numeric number of days', async () => {
    await expect(t.store.purge({ olderThanDays: -1 })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    await expect(t.store.purge({ olderThanDays: Number.NaN })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });
});
