// Plays three users' journeys against the demo service: Alice (acme, admin), Bob
// (globex, who mistypes his password and hits a bug) and an anonymous visitor.
//
//   TARGET_URL=http://localhost:3000 node examples/traffic.mjs
//
// `npm run demo` starts the service and runs this for you.
import { fileURLToPath } from 'node:url';

const think = () => new Promise((r) => setTimeout(r, 20 + Math.random() * 60));

/** A browser-ish client: keeps its session cookie and last page (for the referer). */
function client(base, name, userAgent) {
  let cookie = '';
  let lastPage;
  const log = [];
  async function request(method, path, { json, form, multipart, accept } = {}) {
    const headers = { 'user-agent': userAgent };
    if (cookie) headers.cookie = cookie;
    if (lastPage) headers.referer = base + lastPage;
    if (accept) headers.accept = accept;
    let body;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    } else if (multipart !== undefined) {
      body = multipart; // FormData: fetch sets the multipart content type
    }
    const started = performance.now();
    const response = await fetch(base + path, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    if (accept?.includes('text/html')) lastPage = path;
    log.push({ method, path, status: response.status, ms: performance.now() - started });
    await think();
    try {
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch {
      return { status: response.status, body: text };
    }
  }
  return { name, request, log };
}

async function alice(base) {
  const c = client(base, 'alice', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15');
  await c.request('GET', '/', { accept: 'text/html' });
  await c.request('POST', '/login', { form: { username: 'alice', password: 'wonderland-2024' } });
  await c.request('GET', '/items');
  const lamp = await c.request('POST', '/items', { json: { name: 'Desk lamp', price: 39 } });
  await c.request('POST', '/items', { json: { name: 'Standing desk', price: 420 } });
  await c.request('GET', '/search?q=lamp');
  await c.request('PUT', `/items/${lamp.body.id}`, { json: { price: 35 } });
  const upload = new FormData();
  upload.append('file', new Blob(['sku,name\n1,Desk lamp\n'], { type: 'text/csv' }), 'catalogue.csv');
  await c.request('POST', '/upload', { multipart: upload });
  await c.request('GET', '/reports/q3/download');
  await c.request('GET', '/reports/slow');
  await c.request('DELETE', `/items/${lamp.body.id}`);
  await c.request('POST', '/logout');
  return c;
}

async function bob(base) {
  const c = client(base, 'bob', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36');
  await c.request('GET', '/', { accept: 'text/html' });
  await c.request('POST', '/login', { json: { username: 'bob', password: 'builder2024' } }); // typo: 401
  await c.request('POST', '/login', { json: { username: 'bob', password: 'builder-2024' } });
  await c.request('POST', '/items', { json: { price: 5 } }); // no name: 422
  await c.request('POST', '/items', { json: { name: 'Widget', price: 5 } });
  await c.request('GET', '/fail'); // a bug: 500
  await c.request('GET', '/items/item-missing'); // 404
  await c.request('GET', '/search?q=widget');
  await c.request('POST', '/logout');
  return c;
}

async function anonymous(base) {
  const c = client(base, 'anonymous', 'curl/8.7.1');
  await c.request('GET', '/', { accept: 'text/html' });
  await c.request('GET', '/search?q=cheap+lamp');
  await c.request('GET', '/items'); // not logged in: 401
  await c.request('GET', '/health'); // ignored by otel-activity
  return c;
}

/** Runs the three journeys at once; resolves with each client's request log. */
export async function runTraffic(base) {
  return Promise.all([alice(base), bob(base), anonymous(base)]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base = process.env.TARGET_URL ?? 'http://localhost:3000';
  const clients = await runTraffic(base);
  for (const c of clients) {
    const statuses = c.log.map((r) => r.status).join(' ');
    console.log(`${c.name.padEnd(10)} ${c.log.length} requests, statuses ${statuses}`);
  }
}
