import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventInput, AuditSearchFilters, TenantScope } from '../../src/audit/AuditStore.ts';
import { ErrorCode } from '../../src/internal/errors.ts';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../support/audit-store.ts';

const USERS = ['alice', 'bob', 'carol'];
const ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'LOGIN'];
const T0 = Date.now() - 3_600_000;

/** Tenant A: 30 varied events; tenant B: 10 events sharing user ids and resources with A. */
function dataset(): AuditEventInput[] {
  const a = Array.from({ length: 30 }, (_, i) =>
    auditEvent({
      occurredAt: new Date(T0 + i * 1000),
      tenantId: 'tenant-a',
      userId: USERS[i % 3],
      userName: USERS[i % 3]!.toUpperCase(),
      action: ACTIONS[i % 4],
      category: i % 2 ? 'data_management' : 'authentication',
      level: i % 10 === 0 ? 'error' : i % 5 === 0 ? 'warn' : 'info',
      outcome: i % 7 === 0 ? 'failure' : 'success',
      riskScore: i * 3,
      resourceType: 'invoice',
      resourceId: `inv-${i % 5}`,
      description: i === 13 ? 'Discount 100%_off applied' : `Invoice inv-${i % 5} changed at step ${i}`,
    }),
  );
  const b = Array.from({ length: 10 }, (_, i) =>
    auditEvent({ occurredAt: new Date(T0 + i * 1500), tenantId: 'tenant-b', userId: 'alice', resourceId: 'inv-1', description: `Tenant B step ${i}` }),
  );
  return [...a, ...b];
}

/** Event ids in the order the store must return them: newest first. */
function newestFirst(events: AuditEventInput[]): string[] {
  return [...events].sort((x, y) => y.occurredAt.getTime() - x.occurredAt.getTime() || (y.eventId < x.eventId ? -1 : 1)).map((e) => e.eventId);
}

describe.each(AUDIT_BACKENDS)('SqlAuditStore on %s', (backend) => {
  let t: TestAuditStore;
  let events: AuditEventInput[];
  const A: TenantScope = { tenantId: 'tenant-a' };
  const B: TenantScope = { tenantId: 'tenant-b' };
  const inA = () => events.filter((e) => e.tenantId === 'tenant-a');

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
    events = dataset();
    await t.store.append(events);
  });
  afterAll(async () => t?.close());

  /** Reads every page of a query, asserting each page's size. */
  async function allPages(read: (cursor?: string) => Promise<{ items: AuditEvent[]; nextCursor?: string }>, pageSize: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      expect(page.items.length).toBeLessThanOrEqual(pageSize);
      ids.push(...page.items.map((e) => e.eventId));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  describe('append', () => {
    it('should chain each tenant from seq 1 without gaps, and ignore event ids already stored', async () => {
      const rows = await t.sql<{ tenant_id: string; seqs: string }>(
        `SELECT tenant_id, string_agg(seq::text, ',' ORDER BY seq) AS seqs FROM activity_log GROUP BY tenant_id ORDER BY tenant_id`,
      );
      expect(rows).toEqual([
        { tenant_id: 'tenant-a', seqs: Array.from({ length: 30 }, (_, i) => i + 1).join(',') },
        { tenant_id: 'tenant-b', seqs: Array.from({ length: 10 }, (_, i) => i + 1).join(',') },
      ]);
      const again = await t.store.append([events[0]!, events[5]!, events[5]!]);
      expect(again).toEqual({ inserted: 0, duplicates: 3 });
    });

    it('should store events without a tenant in their own chain and keep odd values storable', async () => {
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      const odd = auditEvent({
        tenantId: null,
        eventId: 'not-a-uuid-but-stable',
        description: 'nul\u0000 and lone \ud800 surrogate',
        riskScore: 250,
        durationMs: Number.NaN,
        details: { cyclic, big: 10n as unknown as number, when: new Date(0), ...(JSON.parse('{"__proto__":"kept"}') as object) },
      });
      expect(await t.store.append([odd])).toEqual({ inserted: 1, duplicates: 0 });
      expect(await t.store.append([odd])).toEqual({ inserted: 0, duplicates: 1 });
      const [stored] = (await t.store.search({ tenantId: '' }, {})).items;
      expect(stored).toMatchObject({
        tenantId: '',
        seq: 1,
        description: 'nul\ufffd and lone \ufffd surrogate',
        riskScore: 100,
        durationMs: null,
        details: { cyclic: { name: 'loop', self: '[Circular]' }, big: '10', when: '1970-01-01T00:00:00.000Z' },
      });
      expect(Object.keys(stored!.details!)).toContain('__proto__');
      expect((await t.store.verify({ tenantId: '' })).ok).toBe(true);
    });
  });

  describe('get', () => {
    it('should return an event of the scope and nothing for another tenant', async () => {
      const event = events[3]!;
      const got = await t.store.get(A, event.eventId);
      expect(got).toMatchObject({ eventId: event.eventId, tenantId: 'tenant-a', action: event.action, userId: event.userId, details: event.details });
      expect(got?.createdAt.getTime()).toBe(event.occurredAt.getTime());
      expect(got?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await t.store.get(B, event.eventId)).toBeUndefined();
      expect(await t.store.get(A, 'not-a-uuid')).toBeUndefined();
    });
  });

  describe('trail', () => {
    it("should list a user's events of the tenant only, newest first, across pages", async () => {
      const ids = await allPages((cursor) => t.store.trail(A, 'alice', { limit: 4, cursor }), 4);
      expect(ids).toEqual(newestFirst(inA().filter((e) => e.userId === 'alice')));
    });
  });

  describe('history', () => {
    it("should list a resource's events of the tenant only, newest first", async () => {
      const page = await t.store.history(A, 'invoice', 'inv-1');
      expect(page.items.map((e) => e.eventId)).toEqual(newestFirst(inA().filter((e) => e.resourceId === 'inv-1')));
      expect(page.nextCursor).toBeUndefined();
    });
  });

  describe('recent', () => {
    it('should page through all of a tenant\'s events exactly once', async () => {
      const ids = await allPages((cursor) => t.store.recent(A, { limit: 7, cursor }), 7);
      expect(ids).toEqual(newestFirst(inA()));
    });

    it('should default to 50 per page and cap the limit at 500', async () => {
      const many = Array.from({ length: 520 }, () => auditEvent({ tenantId: 'tenant-big' }));
      await t.store.append(many);
      const big: TenantScope = { tenantId: 'tenant-big' };
      expect((await t.store.recent(big)).items).toHaveLength(50);
      const capped = await t.store.recent(big, { limit: 10_000 });
      expect(capped.items).toHaveLength(500);
      expect(capped.nextCursor).toBeDefined();
      expect((await t.store.recent(big, { limit: 10_000, cursor: capped.nextCursor })).items).toHaveLength(20);
    });

    it('should refuse a cursor it did not make', async () => {
      await expect(t.store.recent(A, { cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: ErrorCode.INVALID_QUERY });
    });
  });

  describe('search', () => {
    const cases: [string, AuditSearchFilters, (e: AuditEventInput) => boolean][] = [
      ['action', { action: 'DELETE' }, (e) => e.action === 'DELETE'],
      ['several actions', { action: ['CREATE', 'LOGIN'] }, (e) => e.action === 'CREATE' || e.action === 'LOGIN'],
      ['category', { category: 'authentication' }, (e) => e.category === 'authentication'],
      ['level', { level: 'warn' }, (e) => e.level === 'warn'],
      ['user', { userId: 'bob' }, (e) => e.userId === 'bob'],
      ['resource type and id', { resourceType: 'invoice', resourceId: 'inv-3' }, (e) => e.resourceId === 'inv-3'],
      ['outcome', { outcome: 'failure' }, (e) => e.outcome === 'failure'],
      ['time range (from inclusive, to exclusive)', { from: new Date(T0 + 5000), to: new Date(T0 + 12_000) }, (e) => e.occurredAt.getTime() >= T0 + 5000 && e.occurredAt.getTime() < T0 + 12_000],
      ['minimum risk', { minRiskScore: 60 }, (e) => (e.riskScore ?? -1) >= 60],
      ['free text, case-insensitive', { text: 'STEP 2' }, (e) => /step 2/i.test(e.description ?? '')],
      ['free text with wildcards taken literally', { text: '100%_off' }, (e) => (e.description ?? '').includes('100%_off')],
      ['combined filters', { userId: 'alice', category: 'data_management', minRiskScore: 10 }, (e) => e.userId === 'alice' && e.category === 'data_management' && (e.riskScore ?? 0) >= 10],
    ];

    it.each(cases)('should filter by %s', async (_name, filters, predicate) => {
      const expected = newestFirst(inA().filter(predicate));
      expect(expected.length).toBeGreaterThan(0);
      const ids = await allPages((cursor) => t.store.search(A, filters, { limit: 5, cursor }), 5);
      expect(ids).toEqual(expected);
    });

    it("should never show another tenant's rows to a tenant scope, even when the filter names it", async () => {
      expect((await t.store.search(A, { tenantId: 'tenant-b' })).items).toEqual([]);
      const ids = await allPages((cursor) => t.store.search(B, { userId: 'alice' }, { limit: 500, cursor }), 500);
      expect(ids).toEqual(newestFirst(events.filter((e) => e.tenantId === 'tenant-b')));
    });

    it('should let an all-tenants scope see every tenant, narrowed by the tenant filter', async () => {
      const all = await t.store.search({ allTenants: true }, { resourceId: 'inv-1' }, { limit: 500 });
      expect(new Set(all.items.map((e) => e.tenantId))).toEqual(new Set(['tenant-a', 'tenant-b']));
      const narrowed = await t.store.search({ allTenants: true }, { resourceId: 'inv-1', tenantId: 'tenant-b' }, { limit: 500 });
      expect(narrowed.items.map((e) => e.eventId)).toEqual(newestFirst(events.filter((e) => e.tenantId === 'tenant-b')));
    });

    it('should refuse a malformed scope instead of reading every tenant', async () => {
      await expect(t.store.search({} as TenantScope, {})).rejects.toMatchObject({ code: ErrorCode.INVALID_QUERY });
      await expect(t.store.search({ allTenants: false } as unknown as TenantScope, {})).rejects.toMatchObject({ code: ErrorCode.INVALID_QUERY });
    });
  });

  describe('statistics', () => {
    it("should count a tenant's events by action, category and level, with error rate and top users", async () => {
      const a = inA();
      const count = (key: keyof AuditEventInput) => {
        const out: Record<string, number> = {};
        for (const e of a) out[String(e[key])] = (out[String(e[key])] ?? 0) + 1;
        return out;
      };
      const stats = await t.store.statistics(A, {}, { topUsers: 2 });
      expect(stats).toEqual({
        total: 30,
        activeUsers: 3,
        byAction: count('action'),
        byCategory: count('category'),
        byLevel: count('level'),
        errorRate: a.filter((e) => e.outcome === 'failure' || e.level === 'error').length / 30,
        topUsers: [
          { userId: 'alice', count: 10 },
          { userId: 'bob', count: 10 },
        ],
      });
    });

    it("should apply filters and never count another tenant's rows", async () => {
      const stats = await t.store.statistics(B, { userId: 'alice' });
      expect(stats.total).toBe(10);
      expect(stats.topUsers).toEqual([{ userId: 'alice', count: 10 }]);
      const none = await t.store.statistics(A, { tenantId: 'tenant-b' });
      expect(none).toMatchObject({ total: 0, activeUsers: 0, errorRate: 0, byAction: {}, topUsers: [] });
    });
  });

  describe('export', () => {
    async function exportToString(scope: TenantScope, filters: AuditSearchFilters, format: 'csv' | 'jsonl') {
      const output = new PassThrough();
      const chunks: Buffer[] = [];
      output.on('data', (c: Buffer) => chunks.push(c));
      const progress: [number, number][] = [];
      const manifest = await t.store.export(scope, filters, { format, output, onProgress: (d, n) => progress.push([d, n]) });
      output.end();
      return { manifest, bytes: Buffer.concat(chunks), progress };
    }

    it('should write CSV with a header and quoted fields, oldest first, and a manifest over exactly those bytes', async () => {
      const { manifest, bytes, progress } = await exportToString(A, { resourceId: 'inv-3' }, 'csv');
      const expected = newestFirst(inA().filter((e) => e.resourceId === 'inv-3')).reverse();
      const records = parseCsv(bytes.toString('utf8'));
      expect(records[0]).toContain('event_id');
      const header = records[0]!;
      const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
      expect(rows.map((r) => r.event_id)).toEqual(expected);
      expect(JSON.parse(rows[0]!.details!)).toEqual(inA().find((e) => e.eventId === expected[0])!.details);
      expect(manifest).toMatchObject({ format: 'csv', rows: expected.length, filters: { resourceId: 'inv-3' } });
      expect(manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(manifest.chainHeads).toEqual([{ tenantId: 'tenant-a', seq: 30, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      expect(progress.at(-1)).toEqual([expected.length, expected.length]);
    });

    it('should quote commas, quotes and line breaks so the CSV parses back to the stored text', async () => {
      const tricky = auditEvent({ tenantId: 'tenant-csv', description: 'says "hi", then\nleaves', userAgent: ' padded ' });
      await t.store.append([tricky]);
      const { bytes } = await exportToString({ tenantId: 'tenant-csv' }, {}, 'csv');
      const [header, row] = parseCsv(bytes.toString('utf8'));
      const record = Object.fromEntries(header!.map((h, i) => [h, row![i]]));
      expect(record.description).toBe('says "hi", then\nleaves');
      expect(record.user_agent).toBe(' padded ');
    });

    it("should write JSON lines of one tenant only, even for an export of another tenant's filter", async () => {
      const { manifest, bytes } = await exportToString(B, {}, 'jsonl');
      const lines = bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.eventId)).toEqual(newestFirst(events.filter((e) => e.tenantId === 'tenant-b')).reverse());
      expect(new Set(lines.map((l) => l.tenantId))).toEqual(new Set(['tenant-b']));
      expect(manifest.rows).toBe(10);
      expect(manifest.chainHeads.map((h) => h.tenantId)).toEqual(['tenant-b']);
      const leak = await exportToString(B, { tenantId: 'tenant-a' }, 'jsonl');
      expect(leak.manifest).toMatchObject({ rows: 0, chainHeads: [] });
      expect(leak.bytes.length).toBe(0);
    });

    it('should stream more rows than one fetch batch', async () => {
      const { manifest } = await exportToString({ tenantId: 'tenant-big' }, {}, 'jsonl');
      expect(manifest.rows).toBe(520);
    });
  });
});

/** RFC 4180 parser: enough to read back what the export wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}
