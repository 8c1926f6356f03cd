// The demo service: a small item catalogue with login, CRUD, search, upload, download,
// a slow route and a failing route. It knows nothing about logging: start it with
//
//   node --import otel-activity/register examples/app.mjs
//
// and every request becomes an activity record. The only otel-activity calls are the
// ones an app makes after it authenticates (setUser, setTenant), the audit trail of
// its business changes (recordAudit), and actions HTTP cannot see (searches, logins).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { activity } from 'otel-activity';

const PORT = Number(process.env.PORT ?? 3000);
const recorder = activity.getRecorder('demo-app');

/** Demo accounts (the passwords are demo data, and masked in every record). */
const USERS = {
  alice: { id: 'alice', name: 'Alice', password: 'wonderland-2024', tenant: 'acme', roles: ['admin'] },
  bob: { id: 'bob', name: 'Bob', password: 'builder-2024', tenant: 'globex', roles: ['editor'] },
};
const sessions = new Map(); // session token -> user
const items = new Map(); // tenant -> Map(id -> item)

// --- a minimal router -----------------------------------------------------------
const routes = [];
const route = (method, template, handler) => {
  const keys = [];
  const pattern = new RegExp(`^${template.replace(/:(\w+)/g, (_, k) => (keys.push(k), '([^/]+)'))}$`);
  routes.push({ method, template, pattern, keys, handler });
};

async function dispatch(req, res) {
  const url = new URL(req.url ?? '/', 'http://demo');
  const match = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
  if (!match) return send(res, 404, { error: 'not found' });
  activity.setRoute(match.template); // a framework would do this for us
  const params = Object.fromEntries(match.keys.map((k, i) => [k, decodeURIComponent(match.pattern.exec(url.pathname)[i + 1])]));
  const user = authenticate(req);
  try {
    await match.handler({ req, res, url, params, user });
  } catch (error) {
    activity.setError(error); // what an error handler does: the record gets the real error
    send(res, 500, { error: 'internal error' });
  }
}

/** Looks up the session cookie and binds the user to this request's activity. */
function authenticate(req) {
  const token = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const user = token && sessions.get(token);
  if (user) {
    activity.setUser({ id: user.id, name: user.name, roles: user.roles });
    activity.setTenant(user.tenant);
  }
  return user;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text || '{}');
  return Object.fromEntries(new URLSearchParams(text));
}

const tenantItems = (user) => {
  if (!items.has(user.tenant)) items.set(user.tenant, new Map());
  return items.get(user.tenant);
};
const requireUser = (user, res) => (user ? true : (send(res, 401, { error: 'log in first' }), false));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- routes ---------------------------------------------------------------------
route('GET', '/', ({ res }) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<h1>Item catalogue</h1><form method="post" action="/login"><input name="username"><input name="password" type="password"></form>');
});

route('GET', '/health', ({ res }) => send(res, 200, { ok: true }));

route('POST', '/login', async ({ req, res }) => {
  const { username, password } = await readBody(req);
  const user = USERS[username];
  if (!user || user.password !== password) {
    recorder.recordAuth('login', false, { username });
    return send(res, 401, { error: 'invalid credentials' });
  }
  const token = randomUUID();
  sessions.set(token, user);
  activity.setUser({ id: user.id, name: user.name, roles: user.roles });
  activity.setTenant(user.tenant);
  recorder.recordAuth('login', true, { method: 'password' });
  await recorder.recordAudit({ action: 'LOGIN', resource: { type: 'session' } });
  send(res, 200, { user: user.id }, { 'set-cookie': `sid=${token}; HttpOnly; Path=/` });
});

route('POST', '/logout', async ({ req, res, user }) => {
  if (!requireUser(user, res)) return;
  sessions.delete(/sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]);
  await recorder.recordAudit({ action: 'LOGOUT', resource: { type: 'session' } });
  send(res, 204);
});

route('GET', '/items', ({ res, user }) => {
  if (!requireUser(user, res)) return;
  send(res, 200, [...tenantItems(user).values()]);
});

route('POST', '/items', async ({ req, res, user }) => {
  if (!requireUser(user, res)) return;
  const { name, price } = await readBody(req);
  if (!name) {
    recorder.recordFormSubmission('Create item', false, ['name is required']);
    return send(res, 422, { error: 'name is required' });
  }
  const item = { id: `item-${randomUUID().slice(0, 8)}`, name, price: Number(price ?? 0) };
  tenantItems(user).set(item.id, item);
  recorder.recordFormSubmission('Create item', true);
  await recorder.recordAudit({ action: 'CREATE', resource: { type: 'item', id: item.id }, details: { name, price: item.price } });
  send(res, 201, item);
});

route('GET', '/items/:id', ({ res, user, params }) => {
  if (!requireUser(user, res)) return;
  const item = tenantItems(user).get(params.id);
  send(res, item ? 200 : 404, item ?? { error: 'no such item' });
});

route('PUT', '/items/:id', async ({ req, res, user, params }) => {
  if (!requireUser(user, res)) return;
  const item = tenantItems(user).get(params.id);
  if (!item) return send(res, 404, { error: 'no such item' });
  const changes = await readBody(req);
  Object.assign(item, changes);
  await recorder.recordAudit({ action: 'UPDATE', resource: { type: 'item', id: item.id }, details: { fields_changed: Object.keys(changes) } });
  send(res, 200, item);
});

route('DELETE', '/items/:id', async ({ res, user, params }) => {
  if (!requireUser(user, res)) return;
  const deleted = tenantItems(user).delete(params.id);
  await recorder.recordAudit({ action: 'DELETE', resource: { type: 'item', id: params.id }, outcome: deleted ? 'success' : 'failure' });
  send(res, deleted ? 204 : 404);
});

route('GET', '/search', ({ res, url, user }) => {
  const q = url.searchParams.get('q') ?? '';
  const found = user ? [...tenantItems(user).values()].filter((i) => i.name.toLowerCase().includes(q.toLowerCase())) : [];
  recorder.recordSearch(q, found.length);
  send(res, 200, found);
});

route('POST', '/upload', async ({ req, res, user }) => {
  if (!requireUser(user, res)) return;
  let bytes = 0;
  for await (const chunk of req) bytes += chunk.length;
  send(res, 201, { received: bytes });
});

route('GET', '/reports/:id/download', ({ res, user, params }) => {
  if (!requireUser(user, res)) return;
  res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': `attachment; filename="report-${params.id}.csv"` });
  res.end('id,name\n1,demo\n');
});

route('GET', '/reports/slow', async ({ res }) => {
  await sleep(1200); // above ACTIVITY_SLOW_MS (1000): a WARN record
  send(res, 200, { ready: true });
});

route('GET', '/fail', async () => {
  await sleep(5);
  throw new TypeError("Cannot read properties of undefined (reading 'price')");
});

const server = http.createServer((req, res) => void dispatch(req, res));
// Idle keep-alive connections are left for the client to close (fetch closes its own after
// about 4 s): with Node's default of 5 s, a loaded machine let a client reuse a connection
// the server was closing at that moment, and the request failed with ECONNRESET.
server.keepAliveTimeout = 65_000;
server.listen(PORT, () => console.log(`LISTENING ${server.address().port}`));
