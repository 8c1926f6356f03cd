import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventInput } from '../../src/audit/AuditStore.ts';
import type { AuditApiCaller } from '../../src/audit-api/AuditApiCaller.ts';
import { createAuditApi } from '../../src/audit-api/create-audit-api.ts';
import { ActivityCategory, ActivityLevel, AuditAction } from '../../src/constants.ts';
import { ActivityError, ErrorCode } from '../../src/internal/errors.ts';
import { snapshotStats } from '../../src/internal/stats.ts';
import { as, call } from '../support/audit-api-client.ts';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../support/audit-store.ts';
import { close, listen } from '../support/http.ts';

const T0 = Date.now() - 2 * 3_600_000;
const A = 'tenant-a';
const B = 'tenant-b';
const USERS = ['alice', 'bob', 'carol'];
const A_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'A_CUSTOM'];

/** Tenant A: 12 invoice events; tenant B: 6 events whose every field is recognisable. */
function dataset(): { a: AuditEventInput[]; b: AuditEventInput[] } {
  const a = Array.from({ length: 12 }, (_, i) =>
    auditEvent({
      tenantId: A,
      occurredAt: new Date(T0 + i * 60_000),
      userId: USERS[i % 3],
      action: A_ACTIONS[i % 4],
      resourceType: 'invoice',
      resourceId: `inv-${i}`,
      riskScore: i * 8,
      level: i === 11 ? 'error' : 'info',
      description: i === 5 ? 'Refund 100%_special issued' : `Invoice inv-${i} changed`,
    }),
  );
  const b = Array.from({ length: 6 }, (_, i) =>
    auditEvent({
      tenantId: B,
      occurredAt: new Date(T0 + i * 90_000),
      userId: 'bob-b',
      action: 'B_ONLY_ACTION',
      category: 'b_only_category',
      resourceType: 'invoice',
      resourceId: `secret-b-${i}`,
      description: `SECRET-B step ${i}`,
    }),
  );
  return { a, b };
}

/** The test hook trusts headers; a real one checks a session or token. */
function authorize(req: IncomingMessage): AuditApiCaller | undefined {
  const role = req.headers['x-test-role'] as string | undefined;
  if (role === undefined) return undefined;
  if (role === 'throw') throw new Error('token service down');
  return { tenantId: req.headers['x-test-tenant'] as string | undefined, role, userId: req.headers['x-test-user'] as string };
}

describe('createAuditApi', () => {
  describe('construction', () => {
    it('should refuse to start without an authorize hook', () => {
      const store = {} as never;
      expect(() => createAuditApi({ store } as never)).toThrow(ActivityError);
      expect(() => createAuditApi({ store } as never)).toThrow(expect.objectContaining({ code: ErrorCode.NO_AUTHORIZE_HOOK }));
      expect(() => createAuditApi({ store, authorize: 'yes' } as never)).toThrow(expect.objectContaining({ code: ErrorCode.NO_AUTHORIZE_HOOK }));
    });

    it('should refuse a missing store, a maxLimit outside 1..500 and a basePath without a leading slash', () => {
      const store = { search() {}, append() {} } as never;
      expect(() => createAuditApi({ authorize } as never)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
      expect(() => createAuditApi({ store, authorize, maxLimit: 0 })).toThrow(/maxLimit/);
      expect(() => createAuditApi({ store, authorize, maxLimit: 501 })).toThrow(/maxLimit/);
      expect(() => createAuditApi({ store, authorize, basePath: 'audit' })).toThrow(/basePath/);
      expect(typeof createAuditApi({ store, authorize, basePath: '/audit/' })).toBe('function');
    });
  });

  describe.each(AUDIT_BACKENDS)('on %s', (backend) => {
    let t: TestAuditStore;
    let server: Server;
    let base: string;
    let a: AuditEventInput[];
    let b: AuditEventInput[];
    const get = (path: string, headers: Record<string, string>) => call(base, 'GET', `/audit${path}`, headers);
    /** Events the store holds about the API's own calls, newest first. */
    const apiEvents = async (tenantId: string) => (await t.store.search({ tenantId }, { resourceType: 'audit_log' }, { limit: 500 })).items;

    beforeAll(async () => {
      t = await openTestAuditStore(backend);
      ({ a, b } = dataset());
      await t.store.append([...a, ...b]);
      server = createServer(createAuditApi({ store: t.store, authorize, basePath: '/audit' }));
      base = await listen(server);
    });
    afterAll(async () => {
      if (server) await close(server);
      await t?.close();
    });

    describe('authorization', () => {
      it('should answer 401 when authorize returns nothing', async () => {
        const res = await get('/events', {});
        expect(res.status).toBe(401);
        expect(res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'authentication required' } });
      });

      it('should answer 500 and count a hook error when authorize throws, granting nothing', async () => {
        const before = snapshotStats().hookErrors;
        const res = await get('/events', { 'x-test-role': 'throw' });
        expect(res.status).toBe(500);
        expect(res.json().error.code).toBe('INTERNAL');
        expect(res.body).not.toContain('token service down');
        expect(snapshotStats().hookErrors).toBe(before + 1);
      });

      it('should answer 403 to a non-admin caller without a tenant', async () => {
        const res = await get('/events', as(undefined, 'viewer'));
        expect(res.status).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      });
    });

    describe('GET /events', () => {
      it("should return only the caller's tenant, newest first", async () => {
        const res = await get('/events?resourceType=invoice&limit=500', as(A));
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        const items: AuditEvent[] = res.json().items;
        expect(items.map((e) => e.eventId)).toEqual([...a].reverse().map((e) => e.eventId));
        expect(res.body).not.toContain('SECRET-B');
        expect(res.json().nextCursor).toBeUndefined();
      });

      it('should refuse a non-admin naming another tenant, and audit the attempt', async () => {
        const res = await get(`/events?tenant=${B}`, as(A, 'viewer', 'mallory'));
        expect(res.status).toBe(403);
        expect(res.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'only an admin may read another tenant' } });
        expect(res.body).not.toContain('SECRET-B');
        const [denied] = (await apiEvents(A)).filter((e) => e.userId === 'mallory');
        expect(denied).toMatchObject({ action: 'READ', outcome: 'failure', level: 'warn', category: 'authorization', tenantId: A });
        expect(denied!.details).toMatchObject({ route: 'GET /events', tenantRequested: [B] });
      });

      it('should accept a non-admin naming their own tenant', async () => {
        const res = await get(`/events?tenant=${A}&resourceType=invoice&limit=1`, as(A));
        expect(res.status).toBe(200);
        expect(res.json().items[0].tenantId).toBe(A);
      });

      it('should let an admin read every tenant, or one', async () => {
        const all: AuditEvent[] = (await get('/events?resourceType=invoice&limit=500', as('ops', 'admin'))).json().items;
        expect(new Set(all.map((e) => e.tenantId))).toEqual(new Set([A, B]));
        expect(all).toHaveLength(18);
        const onlyB: AuditEvent[] = (await get(`/events?tenant=${B}&limit=500`, as('ops', 'admin'))).json().items;
        expect(onlyB.map((e) => e.eventId).sort()).toEqual(b.map((e) => e.eventId).sort());
        const star: AuditEvent[] = (await get('/events?tenant=*&resourceType=invoice&limit=500', as('ops', 'admin'))).json().items;
        expect(star).toHaveLength(18);
      });

      it("should write an admin's read of another tenant into that tenant's chain too, and an all-tenant read into the admin's only", async () => {
        const before = (await apiEvents(B)).length;
        await get(`/events?tenant=${B}&limit=5`, as('ops', 'admin', 'auditor-b'));
        const inB = (await apiEvents(B)).filter((e) => e.userId === 'auditor-b');
        const inOps = (await apiEvents('ops')).filter((e) => e.userId === 'auditor-b');
        expect(inB).toEqual([expect.objectContaining({ tenantId: B, action: 'READ', details: expect.objectContaining({ scope: B, callerTenant: 'ops', route: 'GET /events' }) })]);
        expect(inOps).toEqual([expect.objectContaining({ tenantId: 'ops', action: 'READ', details: expect.objectContaining({ scope: B }) })]);
        expect(inB[0]!.eventId).not.toBe(inOps[0]!.eventId);

        await get('/events?limit=5', as('ops', 'admin', 'auditor-all'));
        expect((await apiEvents(B)).filter((e) => e.userId === 'auditor-all')).toEqual([]);
        expect((await apiEvents('ops')).filter((e) => e.userId === 'auditor-all')).toEqual([expect.objectContaining({ details: expect.objectContaining({ scope: '*' }) })]);
        expect((await apiEvents(B)).length).toBe(before + 1);
        expect((await get('/verify?tenant=*', as('ops', 'admin'))).json().ok).toBe(true);
      });

      it('should apply the filters', async () => {
        const ids = async (query: string) => ((await get(`/events?resourceType=invoice&limit=500&${query}`, as(A))).json().items as AuditEvent[]).map((e) => e.resourceId);
        expect(await ids('action=CREATE')).toEqual(['inv-8', 'inv-4', 'inv-0']);
        expect(await ids('action=CREATE,DELETE')).toEqual(['inv-10', 'inv-8', 'inv-6', 'inv-4', 'inv-2', 'inv-0']);
        expect(await ids('action=CREATE&action=A_CUSTOM')).toEqual(['inv-11', 'inv-8', 'inv-7', 'inv-4', 'inv-3', 'inv-0']);
        expect(await ids('userId=carol')).toEqual(['inv-11', 'inv-8', 'inv-5', 'inv-2']);
        expect(await ids('minRiskScore=80')).toEqual(['inv-11', 'inv-10']);
        expect(await ids('level=ERROR')).toEqual(['inv-11']);
        expect(await ids('text=100%25_special')).toEqual(['inv-5']);
        expect(await ids('resourceId=inv-3')).toEqual(['inv-3']);
        const from = new Date(T0 + 3 * 60_000).toISOString();
        const to = new Date(T0 + 5 * 60_000).toISOString();
        expect(await ids(`from=${from}&to=${to}`)).toEqual(['inv-4', 'inv-3']);
        expect(await ids('from=3h&to=1m')).toHaveLength(12);
        expect(await ids('outcome=failure')).toEqual([]);
      });

      it('should page with nextCursor without repeating or skipping events', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const res = await get(`/events?resourceType=invoice&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, as(A));
          expect(res.status).toBe(200);
          const page = res.json();
          seen.push(...page.items.map((e: AuditEvent) => e.eventId));
          cursor = page.nextCursor;
          pages++;
        } while (cursor);
        expect(pages).toBe(3);
        expect(seen).toEqual([...a].reverse().map((e) => e.eventId));
      });

      it.each([
        ['limit=501', 'limit'],
        ['limit=0', 'limit'],
        ['limit=ten', 'limit'],
        ['from=yesterday', 'from'],
        ['to=2024-13-45', 'to'],
        ['from=2024-05-02&to=2024-05-01', 'from'],
        ['level=loud', 'level'],
        ['outcome=maybe', 'outcome'],
        ['minRiskScore=101', 'minRiskScore'],
        ['minRiskScore=1.5', 'minRiskScore'],
        ['userid=alice', 'userid'],
        ['cursor=not-a-cursor', 'cursor'],
        ['limit=5&limit=6', 'limit'],
        [`text=${'x'.repeat(600)}`, 'text'],
      ])('should answer 400 INVALID_QUERY for %s', async (query, name) => {
        const res = await get(`/events?${query}`, as(A));
        expect(res.status).toBe(400);
        expect(res.json().error.code).toBe('INVALID_QUERY');
        expect(res.json().error.message).toContain(name);
      });

      it('should audit the read: a READ event on audit_log by the caller, in their tenant, with the filters', async () => {
        const res = await get('/events?action=UPDATE&limit=2', as(A, 'viewer', 'reader-1'));
        expect(res.status).toBe(200);
        const [read] = (await apiEvents(A)).filter((e) => e.userId === 'reader-1');
        expect(read).toMatchObject({
          action: 'READ',
          resourceType: 'audit_log',
          outcome: 'success',
          tenantId: A,
          userId: 'reader-1',
          ipAddress: '127.0.0.1',
          category: 'data_management',
        });
        expect(read!.details).toEqual({ route: 'GET /events', role: 'viewer', scope: A, filters: { action: 'UPDATE' }, limit: 2, results: 2 });
      });

      it('should honour maxLimit', async () => {
        const small = createServer(createAuditApi({ store: t.store, authorize, maxLimit: 3 }));
        const smallBase = await listen(small);
        try {
          expect((await call(smallBase, 'GET', '/events?limit=4', as(A))).status).toBe(400);
          const page = (await call(smallBase, 'GET', '/events', as(A))).json();
          expect(page.items).toHaveLength(3);
          expect(page.nextCursor).toEqual(expect.any(String));
        } finally {
          await close(small);
        }
      });
    });

    describe('GET /events/:id', () => {
      it("should return the caller's own event and audit the read with its id", async () => {
        const res = await get(`/events/${a[3]!.eventId}`, as(A, 'viewer', 'reader-2'));
        expect(res.status).toBe(200);
        expect(res.json()).toMatchObject({ eventId: a[3]!.eventId, tenantId: A, resourceId: 'inv-3' });
        const [read] = (await apiEvents(A)).filter((e) => e.userId === 'reader-2');
        expect(read).toMatchObject({ action: 'READ', resourceId: a[3]!.eventId });
      });

      it("should answer 404 for another tenant's event, also when naming that tenant", async () => {
        const res = await get(`/events/${b[0]!.eventId}`, as(A));
        expect(res.status).toBe(404);
        expect(res.body).not.toContain('SECRET-B');
        expect((await get(`/events/${b[0]!.eventId}?tenant=${B}`, as(A))).status).toBe(403);
        expect((await get(`/events/${b[0]!.eventId}`, as('ops', 'admin'))).json().description).toBe('SECRET-B step 0');
      });

      it('should answer 404 for an id that is not a UUID', async () => {
        const res = await get('/events/not-a-uuid', as(A));
        expect(res.status).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      });
    });

    describe('GET /statistics', () => {
      it("should count only the caller's tenant", async () => {
        const res = await get('/statistics?resourceType=invoice', as(A));
        expect(res.status).toBe(200);
        const stats = res.json();
        expect(stats.total).toBe(12);
        expect(stats.byAction).toEqual({ CREATE: 3, UPDATE: 3, DELETE: 3, A_CUSTOM: 3 });
        expect(stats.byCategory).not.toHaveProperty('b_only_category');
        expect(stats.topUsers.map((u: { userId: string }) => u.userId).sort()).toEqual(['alice', 'bob', 'carol']);
        expect(res.body).not.toContain('bob-b');
      });

      it('should not widen through ?tenant= for a non-admin, and should for an admin', async () => {
        expect((await get(`/statistics?tenant=${B}`, as(A))).status).toBe(403);
        // (B's trail also holds the READ events of admins who read it: count B's own activity.)
        const adminB = (await get(`/statistics?tenant=${B}&action=B_ONLY_ACTION&topUsers=1`, as('ops', 'admin'))).json();
        expect(adminB).toMatchObject({ total: 6, byAction: { B_ONLY_ACTION: 6 }, topUsers: [{ userId: 'bob-b', count: 6 }] });
      });

      it('should audit the read', async () => {
        await get('/statistics?from=1d', as(A, 'viewer', 'reader-3'));
        const [read] = (await apiEvents(A)).filter((e) => e.userId === 'reader-3');
        expect(read).toMatchObject({ action: 'READ', details: { route: 'GET /statistics', filters: { from: expect.any(String) } } });
      });
    });

    describe('GET /export', () => {
      it("should stream only the caller's tenant as CSV, with rows and sha256 as trailers", async () => {
        const res = await get('/export?format=csv&resourceType=invoice', as(A, 'viewer', 'exporter-1'));
        expect(res.status).toBe(200);
        expect(res.complete).toBe(true);
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-export-\d{8}T\d{6}Z\.csv"$/);
        const lines = res.body.trimEnd().split('\r\n');
        expect(lines[0]!.startsWith('event_id,tenant_id,seq,')).toBe(true);
        expect(lines).toHaveLength(13);
        expect(res.body).not.toContain(B);
        expect(res.body).not.toContain('SECRET-B');
        const sha = createHash('sha256').update(res.body).digest();
        expect(res.trailers['x-export-rows']).toBe('12');
        expect(res.trailers['x-export-sha256']).toBe(sha.toString('hex'));
        expect(res.trailers['content-digest']).toBe(`sha-256=:${sha.toString('base64')}:`);
        const [exported] = (await apiEvents(A)).filter((e) => e.userId === 'exporter-1');
        expect(exported).toMatchObject({ action: 'EXPORT', outcome: 'success', details: { rows: 12, sha256: sha.toString('hex'), format: 'csv', scope: A } });
      });

      it('should answer the manifest of exactly those bytes with manifest=1 and the echoed `to`', async () => {
        const first = await get('/export?format=json&userId=alice', as(A));
        const to = first.headers['x-export-to'] as string;
        expect(first.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
        const rows = first.body.trimEnd().split('\n').map((l) => JSON.parse(l));
        expect(rows.every((r) => r.tenantId === A && r.userId === 'alice')).toBe(true);
        const manifest = (await get(`/export?format=json&userId=alice&manifest=1&to=${encodeURIComponent(to)}`, as(A))).json();
        expect(manifest).toMatchObject({ format: 'jsonl', rows: rows.length, sha256: first.trailers['x-export-sha256'] });
        expect(manifest.chainHeads.map((h: { tenantId: string }) => h.tenantId)).toEqual([A]);
      });

      it('should refuse another tenant for a non-admin and export every tenant for an admin', async () => {
        const denied = await get(`/export?format=csv&tenant=${B}`, as(A));
        expect(denied.status).toBe(403);
        expect(denied.body).not.toContain('SECRET-B');
        const all = await get('/export?format=json&resourceType=invoice', as('ops', 'admin'));
        expect(all.trailers['x-export-rows']).toBe('18');
        expect(all.body).toContain('SECRET-B');
      });

      it('should answer 400 for an unknown format', async () => {
        const res = await get('/export?format=xml', as(A));
        expect(res.status).toBe(400);
        expect(res.json().error.message).toContain('csv or json');
      });
    });

    describe('GET /verify', () => {
      it("should verify only the caller's chain", async () => {
        const res = await get('/verify', as(A));
        expect(res.status).toBe(200);
        const result = res.json();
        expect(result.ok).toBe(true);
        expect(result.tenants.map((x: { tenantId: string }) => x.tenantId)).toEqual([A]);
        expect((await get(`/verify?tenant=${B}`, as(A))).status).toBe(403);
      });

      it('should verify every chain for an admin', async () => {
        const result = (await get('/verify', as('ops', 'admin'))).json();
        expect(result.ok).toBe(true);
        expect(result.tenants.map((x: { tenantId: string }) => x.tenantId)).toEqual(expect.arrayContaining([A, B]));
      });
    });

    describe('GET /actions, /categories, /levels', () => {
      it('should list the known values and those present in the caller tenant only', async () => {
        const actions = (await get('/actions', as(A))).json();
        expect(actions.known).toEqual(Object.values(AuditAction));
        expect(actions.present).toEqual(expect.arrayContaining(['A_CUSTOM', 'CREATE', 'READ']));
        expect(actions.present).not.toContain('B_ONLY_ACTION');
        expect(actions.values).toEqual([...Object.values(AuditAction), 'A_CUSTOM']);
        const categories = (await get('/categories', as(A))).json();
        expect(categories.known).toEqual(Object.values(ActivityCategory));
        expect(categories.values).not.toContain('b_only_category');
        const levels = (await get('/levels', as(A))).json();
        expect(levels.values).toEqual(Object.values(ActivityLevel));
        expect(levels.present).toEqual(expect.arrayContaining(['error', 'info']));
        const adminActions = (await get(`/actions?tenant=${B}`, as('ops', 'admin'))).json();
        expect(adminActions.present).toContain('B_ONLY_ACTION');
        expect(adminActions.present).not.toContain('A_CUSTOM');
      });
    });

    describe('POST /users/:id/anonymize', () => {
      it('should refuse a non-admin, change nothing, and audit the attempt', async () => {
        const res = await call(base, 'POST', '/audit/users/carol/anonymize', as(A, 'viewer', 'mallory-2'));
        expect(res.status).toBe(403);
        expect((await t.store.trail({ tenantId: A }, 'carol')).items.length).toBeGreaterThan(0);
        const [denied] = (await apiEvents(A)).filter((e) => e.userId === 'mallory-2');
        expect(denied).toMatchObject({ action: 'ANONYMIZE', outcome: 'failure', resourceId: 'carol' });
      });

      it("should anonymise the user in one tenant for an admin, the store auditing it", async () => {
        const res = await call(base, 'POST', `/audit/users/carol/anonymize?tenant=${A}`, as(A, 'admin', 'dpo'));
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ updated: 4 });
        expect((await t.store.trail({ tenantId: A }, 'carol')).items).toEqual([]);
        const [logged] = (await t.store.search({ tenantId: A }, { action: 'ANONYMIZE', outcome: 'success' })).items;
        expect(logged).toMatchObject({ userId: 'dpo', resourceType: 'user', details: { updated: 4 } });
        expect((await get('/verify', as(A))).json().ok).toBe(true);
      });
    });

    describe('DELETE /events', () => {
      it('should refuse a non-admin and delete nothing', async () => {
        const before = (await t.store.search({ tenantId: B }, {}, { limit: 500 })).items.length;
        const res = await call(base, 'DELETE', '/audit/events?olderThanDays=0', as(A));
        expect(res.status).toBe(403);
        expect(res.json().error).toEqual({ code: 'FORBIDDEN', message: 'only an admin may purge audit events' });
        expect((await t.store.search({ tenantId: B }, {}, { limit: 500 })).items).toHaveLength(before);
      });

      it('should require olderThanDays, as a whole number of days', async () => {
        expect((await call(base, 'DELETE', '/audit/events', as('ops', 'admin'))).status).toBe(400);
        expect((await call(base, 'DELETE', '/audit/events?olderThanDays=-1', as('ops', 'admin'))).status).toBe(400);
        expect((await call(base, 'DELETE', '/audit/events?olderThanDays=30&action=READ', as('ops', 'admin'))).status).toBe(400);
      });

      it('should purge for an admin, the store recording a PURGE event by the caller', async () => {
        const res = await call(base, 'DELETE', '/audit/events?olderThanDays=3650', as('ops', 'admin', 'retention-bot'));
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ deleted: 0, droppedPartitions: [] });
        const [purge] = (await t.store.search({ tenantId: 'ops' }, { action: 'PURGE' })).items;
        expect(purge).toMatchObject({ userId: 'retention-bot', details: { olderThanDays: 3650, deleted: 0 } });
      });
    });

    describe('routing', () => {
      it('should answer 404 for an unknown route and 405 with Allow for a wrong method', async () => {
        const missing = await get('/nothing', as(A));
        expect(missing.status).toBe(404);
        expect(missing.json().error.code).toBe('NOT_FOUND');
        const wrong = await call(base, 'PUT', '/audit/events', as(A));
        expect(wrong.status).toBe(405);
        expect(wrong.headers.allow).toBe('GET, DELETE');
        expect(wrong.json().error.code).toBe('METHOD_NOT_ALLOWED');
        expect((await call(base, 'GET', '/audit/users/carol/anonymize', as(A))).status).toBe(405);
      });

      it('should answer 404 outside the basePath, and serve it with a trailing slash', async () => {
        expect((await call(base, 'GET', '/events', as(A))).status).toBe(404);
        expect((await call(base, 'GET', '/auditevents', as(A))).status).toBe(404);
        expect((await call(base, 'GET', '/audit/events/?limit=1', as(A))).status).toBe(200);
      });
    });
  });

  describe('when the store fails', () => {
    let t: TestAuditStore;
    let event: AuditEventInput;

    beforeAll(async () => {
      t = await openTestAuditStore('pglite');
      event = auditEvent({ tenantId: A, description: 'must not leak unaudited' });
      await t.store.append([event]);
    });
    afterAll(async () => t?.close());

    /** The real store, with `append` (the read's own audit event) failing. */
    function withFailingAppend(): typeof t.store {
      return new Proxy(t.store, {
        get: (target, key) => (key === 'append' ? () => Promise.reject(new Error('disk full')) : Reflect.get(target, key)),
      });
    }

    async function serve(store: typeof t.store, run: (base: string) => Promise<void>): Promise<void> {
      const server = createServer(createAuditApi({ store, authorize }));
      const base = await listen(server);
      try {
        await run(base);
      } finally {
        await close(server);
      }
    }

    it('should answer 500 and withhold the data when the read cannot be audited', async () => {
      await serve(withFailingAppend(), async (base) => {
        const before = snapshotStats().internalErrors;
        const res = await call(base, 'GET', '/events', as(A));
        expect(res.status).toBe(500);
        expect(res.body).not.toContain('must not leak');
        expect(res.body).not.toContain('disk full');
        expect(snapshotStats().internalErrors).toBe(before + 1);
        expect((await call(base, 'GET', `/events/${event.eventId}`, as(A))).status).toBe(500);
      });
    });

    it('should cut an export short (no trailers, incomplete body) when it cannot be audited', async () => {
      await serve(withFailingAppend(), async (base) => {
        // Depending on what was flushed, the client sees a hang-up or a body that never ends.
        const outcome = await call(base, 'GET', '/export?format=json', as(A)).then(
          (res) => (res.complete ? `complete, sha256 ${res.trailers['x-export-sha256']}` : 'cut'),
          (error: Error) => `cut: ${error.message}`,
        );
        expect(outcome).toMatch(/^cut/);
      });
      await serve(t.store, async (base) => {
        const res = await call(base, 'GET', '/export?format=json', as(A));
        expect(res.complete).toBe(true);
        expect(res.trailers['x-export-rows']).toBe('1');
      });
    });

    it('should end an export whose client went away, recording it as abandoned', async () => {
      // The store starts writing only once the client has gone: the export must end, not wait forever.
      const late = new Proxy(t.store, {
        get: (target, key) =>
          key === 'export'
            ? async (...args: Parameters<typeof target.export>) => {
                const { output } = args[2];
                if (!output.destroyed) await once(output, 'close');
                return target.export(...args);
              }
            : Reflect.get(target, key),
      });
      await serve(late, async (base) => {
        await new Promise<void>((resolve) => {
          const req = request(`${base}/export?format=csv`, { headers: as(A, 'viewer', 'leaver') }, () => {
            req.destroy();
            resolve();
          });
          req.on('error', () => {});
          req.end();
        });
        const abandoned = async () => (await t.store.search({ tenantId: A }, { userId: 'leaver', action: 'EXPORT' })).items;
        const deadline = Date.now() + 5000;
        while ((await abandoned()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(await abandoned()).toMatchObject([{ outcome: 'failure', description: 'Audit export abandoned by the client' }]);
      });
    });

    it('should answer 503 when the store is closed', async () => {
      const dead = await openTestAuditStore('pglite');
      await dead.close();
      await serve(dead.store, async (base) => {
        const res = await call(base, 'GET', '/events', as(A));
        expect(res.status).toBe(503);
        expect(res.json().error).toEqual({ code: 'UNAVAILABLE', message: 'the audit store is unavailable' });
      });
    });
  });
});
