import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditApiCaller } from '../../src/audit-api/AuditApiCaller.ts';
import { auditApiFastifyPlugin } from '../../src/audit-api/audit-api-fastify-plugin.ts';
import { createAuditApi } from '../../src/audit-api/create-audit-api.ts';
import { as, call } from '../support/audit-api-client.ts';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../support/audit-store.ts';
import { close, listen } from '../support/http.ts';

function authorize(req: IncomingMessage): AuditApiCaller | undefined {
  const role = req.headers['x-test-role'] as string | undefined;
  return role === undefined ? undefined : { tenantId: req.headers['x-test-tenant'] as string, role, userId: req.headers['x-test-user'] as string };
}

/** The checks every mounting must pass, against `${base}/audit`. */
function mountedApiSpecs(ctx: () => { base: string; t: TestAuditStore }) {
  it("should serve the caller's tenant under the mount path", async () => {
    const { base } = ctx();
    const res = await call(base, 'GET', '/audit/events?limit=50', as('tenant-a'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const items = res.json().items as { tenantId: string; description: string }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((e) => e.tenantId === 'tenant-a')).toBe(true);
    expect(res.body).not.toContain('SECRET-B');
  });

  it('should stream an export with its trailers', async () => {
    const { base } = ctx();
    const res = await call(base, 'GET', '/audit/export?format=csv&resourceType=invoice', as('tenant-a'));
    expect(res.status).toBe(200);
    expect(res.complete).toBe(true);
    expect(res.trailers['x-export-rows']).toBe('3');
    expect(res.trailers['x-export-sha256']).toBe(createHash('sha256').update(res.body).digest('hex'));
    expect(res.body).not.toContain('tenant-b');
  });

  it('should answer the JSON errors: 401, 403, 404, 405', async () => {
    const { base } = ctx();
    expect((await call(base, 'GET', '/audit/statistics', {})).json().error.code).toBe('UNAUTHORIZED');
    const forbidden = await call(base, 'DELETE', '/audit/events?olderThanDays=1', as('tenant-a'));
    expect([forbidden.status, forbidden.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const missing = await call(base, 'GET', '/audit/nope', as('tenant-a'));
    expect([missing.status, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const wrong = await call(base, 'PATCH', '/audit/verify', as('tenant-a'));
    expect([wrong.status, wrong.headers.allow]).toEqual([405, 'GET']);
  });

  it('should anonymise for an admin through POST, with a JSON body the API ignores', async () => {
    const { base } = ctx();
    const res = await call(base, 'POST', '/audit/users/nobody/anonymize?tenant=tenant-a', { ...as('ops', 'admin'), 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ updated: 0 });
  });

  it('should leave the rest of the app alone', async () => {
    const { base } = ctx();
    const res = await call(base, 'GET', '/hello', {});
    expect(res.body).toBe('hello');
  });

  it('should audit the reads made through the framework', async () => {
    const { base, t } = ctx();
    const reader = `reader-${randomUUID()}`;
    await call(base, 'GET', '/audit/verify', as('tenant-a', 'viewer', reader));
    const reads = await t.store.search({ tenantId: 'tenant-a' }, { userId: reader, action: 'READ' });
    expect(reads.items).toHaveLength(1);
    expect(reads.items[0]!.details).toMatchObject({ route: 'GET /verify' });
  });
}

async function seed(t: TestAuditStore): Promise<void> {
  await t.store.append([
    ...[1, 2, 3].map((i) => auditEvent({ tenantId: 'tenant-a', resourceType: 'invoice', description: `A ${i}` })),
    ...[1, 2].map((i) => auditEvent({ tenantId: 'tenant-b', resourceType: 'invoice', description: `SECRET-B ${i}` })),
  ]);
}

describe.each(AUDIT_BACKENDS)('createAuditApi mounted in a framework, on %s', (backend) => {
  let t: TestAuditStore;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
    await seed(t);
  });
  afterAll(async () => t?.close());

  describe('Express: app.use(path, api)', () => {
    let server: Server;
    let base: string;

    beforeAll(async () => {
      const app = express();
      app.use('/audit', createAuditApi({ store: t.store, authorize }));
      app.get('/hello', (_req, res) => {
        res.send('hello');
      });
      server = createServer(app);
      base = await listen(server);
    });
    afterAll(async () => server && close(server));

    mountedApiSpecs(() => ({ base, t }));
  });

  describe('Fastify: app.register(auditApiFastifyPlugin, { prefix, api })', () => {
    let app: FastifyInstance;
    let base: string;

    beforeAll(async () => {
      app = Fastify();
      await app.register(auditApiFastifyPlugin, { prefix: '/audit', api: createAuditApi({ store: t.store, authorize }) });
      app.get('/hello', async () => 'hello');
      base = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => app?.close());

    mountedApiSpecs(() => ({ base, t }));

    it('should refuse a handler that createAuditApi did not make', async () => {
      const other = Fastify();
      await expect(other.register(auditApiFastifyPlugin, { prefix: '/x', api: () => {} }).ready()).rejects.toThrow(/createAuditApi/);
      await other.close();
    });
  });
});
