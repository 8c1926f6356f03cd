import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/audit/AuditStore.ts';
import { rowHash } from '../../../src/audit/chain/row-hash.ts';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../../support/audit-store.ts';

describe.each(AUDIT_BACKENDS)('verify on %s', (backend) => {
  let t: TestAuditStore;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
  });
  afterAll(async () => t?.close());

  /** A fresh tenant with `n` chained events; returns them in seq order. */
  async function chain(n = 5): Promise<{ tenant: string; rows: AuditEvent[] }> {
    const tenant = `t-${randomUUID()}`;
    const base = Date.now() - 60_000;
    await t.store.append(Array.from({ length: n }, (_, i) => auditEvent({ tenantId: tenant, occurredAt: new Date(base + i * 1000), userId: `user-${i}` })));
    const rows = (await t.store.recent({ tenantId: tenant }, { limit: 500 })).items.reverse();
    return { tenant, rows };
  }

  it('should pass an intact chain and report its head', async () => {
    const { tenant, rows } = await chain();
    const progress: number[] = [];
    const result = await t.store.verify({ tenantId: tenant }, { onProgress: (done) => progress.push(done) });
    expect(result).toEqual({
      ok: true,
      tenants: [{ tenantId: tenant, rows: 5, ok: true, head: { tenantId: tenant, seq: 5, hash: rows[4]!.hash } }],
    });
    expect(progress.at(-1)).toBe(5);
  });

  it('should report a changed row as a hash mismatch at that row', async () => {
    const { tenant, rows } = await chain();
    await t.tamper(`UPDATE activity_log SET description = 'nothing happened' WHERE event_id = '${rows[2]!.eventId}'`);
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result).toMatchObject({ ok: false, rows: 2, firstBroken: { seq: 3, eventId: rows[2]!.eventId, reason: 'hash_mismatch' } });
  });

  it('should report a changed row whose hash was recomputed at the next row, whose prev_hash no longer links', async () => {
    const { tenant, rows } = await chain();
    const forged = { ...rows[2]!, action: 'READ' };
    const hash = rowHash(forged.prevHash, { ...forged, details: forged.details as never });
    await t.tamper(`UPDATE activity_log SET action = 'READ', hash = '${hash}' WHERE event_id = '${forged.eventId}'`);
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result!.firstBroken).toEqual({ seq: 4, eventId: rows[3]!.eventId, reason: 'prev_hash_mismatch' });
  });

  it('should report a deleted row as a sequence gap at its seq', async () => {
    const { tenant, rows } = await chain();
    await t.tamper(`DELETE FROM activity_log WHERE event_id = '${rows[1]!.eventId}'`);
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result).toMatchObject({ ok: false, rows: 1, firstBroken: { seq: 2, eventId: null, reason: 'sequence_gap' } });
  });

  it('should report a deleted last row against the chain head', async () => {
    const { tenant, rows } = await chain();
    await t.tamper(`DELETE FROM activity_log WHERE event_id = '${rows[4]!.eventId}'`);
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result).toMatchObject({ ok: false, rows: 4, firstBroken: { seq: 5, eventId: null, reason: 'sequence_gap' } });
  });

  it('should report two rows whose order was swapped', async () => {
    const { tenant, rows } = await chain();
    await t.tamper(
      `UPDATE activity_log SET seq = 0 WHERE event_id = '${rows[1]!.eventId}'`,
      `UPDATE activity_log SET seq = 2 WHERE event_id = '${rows[2]!.eventId}'`,
      `UPDATE activity_log SET seq = 3 WHERE event_id = '${rows[1]!.eventId}'`,
    );
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result).toMatchObject({ ok: false, firstBroken: { seq: 2, eventId: rows[2]!.eventId, reason: 'prev_hash_mismatch' } });
  });

  it('should report swapped timestamps as a hash mismatch', async () => {
    const { tenant, rows } = await chain();
    await t.tamper(
      `UPDATE activity_log SET created_at = '${rows[3]!.createdAt.toISOString()}' WHERE event_id = '${rows[2]!.eventId}'`,
      `UPDATE activity_log SET created_at = '${rows[2]!.createdAt.toISOString()}' WHERE event_id = '${rows[3]!.eventId}'`,
    );
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result!.firstBroken).toEqual({ seq: 3, eventId: rows[2]!.eventId, reason: 'hash_mismatch' });
  });

  it('should report a changed user id through its keyed digest', async () => {
    const { tenant, rows } = await chain();
    await t.tamper(`UPDATE activity_log SET user_id = 'mallory' WHERE event_id = '${rows[0]!.eventId}'`);
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result!.firstBroken).toEqual({ seq: 1, eventId: rows[0]!.eventId, reason: 'user_digest_mismatch' });
  });

  it('should report a forged row that repeats a seq', async () => {
    const { tenant, rows } = await chain();
    const forgedId = randomUUID();
    await t.tamper(
      `INSERT INTO activity_log SELECT '${forgedId}', tenant_id, seq, created_at, action, resource_type, resource_id, outcome, user_id, user_name,
         user_digest, session_id, request_id, ip_address, user_agent, category, level, risk_score, duration_ms, description, trace_id, span_id,
         details, prev_hash, hash, recorded_at FROM activity_log WHERE event_id = '${rows[2]!.eventId}'`,
    );
    const [result] = (await t.store.verify({ tenantId: tenant })).tenants;
    expect(result).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'sequence_gap' } });
  });

  it('should verify every tenant for an all-tenants scope and fail only the broken one', async () => {
    const good = await chain(3);
    const bad = await chain(3);
    await t.tamper(`UPDATE activity_log SET resource_id = 'other' WHERE event_id = '${bad.rows[0]!.eventId}'`);
    const result = await t.store.verify({ allTenants: true });
    expect(result.ok).toBe(false);
    expect(result.tenants.find((r) => r.tenantId === good.tenant)).toMatchObject({ ok: true, rows: 3 });
    expect(result.tenants.find((r) => r.tenantId === bad.tenant)).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'hash_mismatch' } });
  });

  it('should report an unknown tenant as an empty, intact chain', async () => {
    expect(await t.store.verify({ tenantId: 'nobody' })).toEqual({ ok: true, tenants: [{ tenantId: 'nobody', rows: 0, ok: true, head: null }] });
  });
});
