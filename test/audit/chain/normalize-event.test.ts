import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/audit/chain/canonical-json.ts';
import { normalizeEvent } from '../../../src/audit/chain/normalize-event.ts';
import { rowHash, userDigest } from '../../../src/audit/chain/row-hash.ts';
import { auditEvent } from '../../support/audit-store.ts';

describe('normalizeEvent', () => {
  it('should map a non-UUID event id to the same UUID every time, so retries deduplicate', () => {
    const a = normalizeEvent(auditEvent({ eventId: 'order-42-paid' }));
    const b = normalizeEvent(auditEvent({ eventId: 'order-42-paid' }));
    expect(a.eventId).toBe(b.eventId);
    expect(a.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should decide levels, outcomes, scores and tenants', () => {
    expect(normalizeEvent(auditEvent({ level: 'WARNING', outcome: 'weird' as never, riskScore: -5, tenantId: undefined }))).toMatchObject({
      level: 'warn',
      outcome: 'success',
      riskScore: 0,
      tenantId: '',
    });
    expect(normalizeEvent(auditEvent({ level: 'critical', riskScore: 42.6, action: '' })).riskScore).toBe(43);
    expect(normalizeEvent(auditEvent({ action: '' })).action).toBe('UNKNOWN');
  });
});

describe('canonicalJson', () => {
  it('should not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});

describe('rowHash', () => {
  it('should change with any chained field and with the previous hash', () => {
    const e = normalizeEvent(auditEvent());
    const row = { ...e, seq: 1, userDigest: userDigest(Buffer.from('k'), e) };
    const h = rowHash('0'.repeat(64), row);
    expect(rowHash('0'.repeat(64), { ...row })).toBe(h);
    expect(rowHash('1'.repeat(64), row)).not.toBe(h);
    expect(rowHash('0'.repeat(64), { ...row, seq: 2 })).not.toBe(h);
    expect(rowHash('0'.repeat(64), { ...row, details: { ...row.details, status: 'void' } })).not.toBe(h);
  });
});

describe('userDigest', () => {
  it('should be keyed, and null when no personal field is set', () => {
    const p = { userId: 'u1', userName: null, ipAddress: null, userAgent: null, sessionId: null };
    expect(userDigest(Buffer.from('k1'), p)).not.toBe(userDigest(Buffer.from('k2'), p));
    expect(userDigest(Buffer.from('k1'), { ...p, userId: null })).toBeNull();
  });
});
