import http from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity, audited } from '../../src/index.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';

describe('audited', () => {
  let pipeline: TestPipeline;
  beforeAll(() => {
    pipeline = startTestPipeline({ console: 'off' });
  });
  afterAll(() => pipeline.stop());

  const audits = () => pipeline.records().filter((r) => r.eventName === 'activity.audit').map((r) => r.attributes);
  async function nextAudit(before: number) {
    await waitFor(() => audits().length > before);
    return audits()[before]!;
  }

  describe('as a wrapper of Express route handlers', () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      const app = express();
      app.set('env', 'test');
      app.use(express.json());
      app.post('/users', audited('CREATE', 'user', async (req, res) => {
        activity.setUser({ id: 'admin-1' });
        res.status(201).json({ id: 'u-77', name: req.body.name });
      }, { resourceId: ({ result }) => (result as { id?: string } | undefined)?.id ?? 'u-77' }));
      app.delete('/users/:userId', audited('DELETE', 'user', async (_req, res) => {
        res.status(204).end();
      }, { resourceId: 'userId' }));
      app.put('/users/:id', audited('UPDATE', 'user', async () => {
        throw new Error('version conflict');
      }));
      app.get('/users/:id', audited('READ', 'user', (_req, res) => {
        res.status(404).json({ error: 'not found' });
      }));
      server = http.createServer(app);
      base = await listen(server);
    });
    afterAll(() => close(server));

    it('should record success with the id of the created resource', async () => {
      const before = audits().length;
      expect((await fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Zoe"}' })).status).toBe(201);
      expect(await nextAudit(before)).toMatchObject({ 'audit.action': 'CREATE', 'audit.resource.type': 'user', 'audit.resource.id': 'u-77', 'audit.outcome': 'success', 'user.id': 'admin-1' });
    });

    it('should take the id from a route parameter for a 204 with no body', async () => {
      const before = audits().length;
      expect((await fetch(`${base}/users/u-12`, { method: 'DELETE' })).status).toBe(204);
      expect(await nextAudit(before)).toMatchObject({ 'audit.action': 'DELETE', 'audit.resource.id': 'u-12', 'audit.outcome': 'success' });
    });

    it('should record a failure when the handler throws, and let the error through', async () => {
      const before = audits().length;
      expect((await fetch(`${base}/users/u-5`, { method: 'PUT' })).status).toBe(500);
      const event = await nextAudit(before);
      expect(event).toMatchObject({ 'audit.action': 'UPDATE', 'audit.resource.id': 'u-5', 'audit.outcome': 'failure', 'audit.details': { error: 'Error: version conflict' } });
    });

    it('should record a failure when the handler answers with an error status', async () => {
      const before = audits().length;
      expect((await fetch(`${base}/users/u-404`)).status).toBe(404);
      expect(await nextAudit(before)).toMatchObject({ 'audit.action': 'READ', 'audit.outcome': 'failure', 'audit.details': { status_code: 404 } });
    });
  });

  describe('as a standard (TC39) method decorator', () => {
    it('should replace the method with an audited one', async () => {
      async function rename(this: { prefix: string }, id: string) {
        return { id: `${this.prefix}${id}` };
      }
      const context = { kind: 'method', name: 'rename', static: false, private: false } as unknown as ClassMethodDecoratorContext;
      const replaced = audited('UPDATE', 'document')(rename, context);
      expect(replaced).not.toBe(rename);
      const before = audits().length;
      expect(await replaced.call({ prefix: 'doc-' }, '9')).toEqual({ id: 'doc-9' });
      expect(await nextAudit(before)).toMatchObject({ 'audit.action': 'UPDATE', 'audit.resource.type': 'document', 'audit.resource.id': 'doc-9' });
    });
  });

  describe('as a decorator of service methods (experimentalDecorators syntax)', () => {
    class InvoiceService {
      readonly prefix = 'INV';

      @audited('CREATE', 'invoice')
      async create(amount: number) {
        return { id: `${this.prefix}-${amount}`, amount };
      }

      @audited('ARCHIVE', 'invoice', { resourceId: 'invoiceId', details: ({ args }) => ({ reason: (args[0] as { reason: string }).reason }) })
      archive(request: { invoiceId: string; reason: string }) {
        if (request.reason === '') throw new TypeError('a reason is required');
        return true;
      }
    }
    const service = new InvoiceService();

    it('should keep `this`, return the result and record the id from it', async () => {
      const before = audits().length;
      expect(await service.create(42)).toEqual({ id: 'INV-42', amount: 42 });
      expect(await nextAudit(before)).toMatchObject({ 'audit.action': 'CREATE', 'audit.resource.type': 'invoice', 'audit.resource.id': 'INV-42' });
    });

    it('should record custom actions, ids from an argument, details, and sync failures', async () => {
      let before = audits().length;
      expect(service.archive({ invoiceId: 'INV-1', reason: 'paid twice' })).toBe(true);
      expect(await nextAudit(before)).toMatchObject({ 'audit.action': 'ARCHIVE', 'audit.resource.id': 'INV-1', 'audit.details': { reason: 'paid twice' } });
      before = audits().length;
      expect(() => service.archive({ invoiceId: 'INV-2', reason: '' })).toThrow('a reason is required');
      expect(await nextAudit(before)).toMatchObject({ 'audit.outcome': 'failure', 'audit.details': { error: 'TypeError: a reason is required' } });
    });
  });
});
