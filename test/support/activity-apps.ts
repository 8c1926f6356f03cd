import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { activity } from '../../src/index.ts';

/**
 * The same small app in three frameworks, for the HTTP activity specifications:
 * GET /items/:id binds identity after an await; /slow and /very-slow take
 * 60 and 220 ms; /fail throws (frameworks only); /broken answers 500; /health is ignored.
 */
export interface TestApp {
  name: string;
  /** Whether the framework reports route templates and thrown errors. */
  knowsRoutes: boolean;
  server: Server;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bindIdentity(): Promise<void> {
  await sleep(5);
  // Bound after an await and inside a timer: must still reach the request's record.
  await new Promise<void>((resolve) =>
    setTimeout(() => {
      activity.setUser({ id: 'alice', name: 'Alice', roles: ['admin'] });
      activity.setTenant('org-1');
      resolve();
    }, 1),
  );
}

export function createHttpApp(): TestApp {
  const server = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/oops') {
      try {
        JSON.parse('{not json');
      } catch (error) {
        activity.setError(error); // what an app's own error handler does
        res.statusCode = 500;
        res.end('oops');
      }
    } else if (path?.startsWith('/items/')) {
      if (path.split('/').length === 3) activity.setRoute('/items/:id'); // a router without framework support
      await bindIdentity();
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    } else if (path === '/upload-body') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        activity.setUser({ id: 'stream-user' }); // bound in a stream callback
        res.end(String(bytes));
      });
    } else if (path === '/slow' || path === '/very-slow') {
      await sleep(path === '/slow' ? 60 : 220);
      res.end('done');
    } else if (path === '/broken') {
      res.statusCode = 500;
      res.end('broken');
    } else {
      res.end('ok');
    }
  });
  return { name: 'node:http', knowsRoutes: false, server, close: async () => void server.close() };
}

export function createExpressApp(): TestApp {
  const app = express();
  app.use(express.json());
  app.get('/items/:id', async (_req, res) => {
    await bindIdentity();
    res.json({ ok: true });
  });
  app.get('/slow', async (_req, res) => {
    await sleep(60);
    res.send('done');
  });
  app.get('/very-slow', async (_req, res) => {
    await sleep(220);
    res.send('done');
  });
  app.get('/fail', async () => {
    await sleep(1);
    throw new TypeError('broken handler');
  });
  app.get('/broken', (_req, res) => {
    res.status(500).send('broken');
  });
  app.get('/health', (_req, res) => {
    res.send('ok');
  });
  app.set('env', 'test'); // keeps Express from printing the thrown error's stack
  const server = http.createServer(app);
  return { name: 'express', knowsRoutes: true, server, close: async () => void server.close() };
}

export function createFastifyApp(): TestApp & { ready(): Promise<void> } {
  const app = Fastify();
  app.get('/items/:id', async () => {
    await bindIdentity();
    return { ok: true };
  });
  app.get('/slow', async () => {
    await sleep(60);
    return 'done';
  });
  app.get('/very-slow', async () => {
    await sleep(220);
    return 'done';
  });
  app.get('/fail', async () => {
    throw new TypeError('broken handler');
  });
  app.get('/broken', async (_req, reply) => reply.code(500).send('broken'));
  app.get('/health', async () => 'ok');
  return { name: 'fastify', knowsRoutes: true, server: app.server, close: () => app.close(), ready: async () => void (await app.ready()) };
}
