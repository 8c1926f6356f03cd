import http, { type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActivityHandle, activity, startActivity } from '../../src/index.ts';
import type { DecodedLogRecord } from '../../src/otlp/DecodedLogRecord.ts';
import { decodeLogsRequest } from '../../src/otlp/decode-logs-request.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { interpolate, logqlFields, requiredActivityType, shippedLogQL } from '../support/logql-queries.ts';
import { type LokiEntry, translateForLoki } from '../support/loki-otlp-translation.ts';

// Real records: an Express app instrumented by startActivity exports over its real OTLP
// exporter (protobuf, as to the collector) to a receiver here; each decoded record is
// translated as Loki's OTLP ingestion stores it, and every field the shipped LogQL
// names must be there.

let receiver: Server;
let received: DecodedLogRecord[] = [];
let app: Server;
let handle: ActivityHandle;
let entries: LokiEntry[];

async function startReceiver(): Promise<string> {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url === '/v1/logs') received.push(...decodeLogsRequest(body, req.headers['content-type']));
      res.setHeader('content-type', req.headers['content-type'] ?? 'application/x-protobuf');
      res.end(req.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  return listen(receiver);
}

function createShop(): express.Express {
  const shop = express();
  shop.use((req, _res, next) => {
    // What an app does once it has authenticated the caller (a login attempt has no caller yet).
    if (req.path !== '/login') {
      activity.setUser({ id: 'u-42', name: 'Ada' });
      activity.setTenant('org-9');
    }
    next();
  });
  shop.get('/orders/:id', (_req, res) => {
    res.json({ ok: true });
  });
  shop.post('/login', (_req, res) => {
    activity.getRecorder('auth').recordAuth('login', false, { username: 'ada' });
    res.status(401).end();
  });
  shop.get('/boom', () => {
    throw new TypeError('kaput');
  });
  shop.post('/invoices/:id', async (req, res) => {
    await activity.getRecorder('billing').recordAudit({ action: 'UPDATE', resource: { type: 'invoice', id: req.params.id }, details: { status: 'paid' } });
    res.json({ ok: true });
  });
  shop.get('/admin', (_req, res) => {
    activity.getRecorder('guard').recordAction({ type: 'security', category: 'security', description: 'Token reused from a new country', riskScore: 85, success: false });
    res.status(403).end();
  });
  return shop;
}

beforeAll(async () => {
  const collector = await startReceiver();
  handle = startActivity(
    { console: 'off', file: false, banner: false, audit: { enabled: false } },
    {
      configFile: false,
      env: {
        OTEL_SERVICE_NAME: 'shop',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector,
      },
    },
  );
  app = http.createServer(createShop());
  const base = await listen(app);
  const headers = { cookie: 'sid=s3ss10n-secret' };
  await fetch(`${base}/orders/7`, { headers });
  await fetch(`${base}/login`, { method: 'POST', headers });
  await fetch(`${base}/boom`, { headers });
  await fetch(`${base}/invoices/INV-7`, { method: 'POST', headers });
  await fetch(`${base}/admin`, { headers });
  const types = ['api_call', 'auth', 'error', 'audit', 'security'];
  await waitFor(() => {
    void handle.forceFlush();
    return types.every((t) => received.some((r) => r.attributes['activity.type'] === t));
  }, 10_000);
  entries = received.map(translateForLoki);
}, 30_000);

afterAll(async () => {
  await close(app);
  await handle.shutdown();
  await close(receiver);
});

const queries = shippedLogQL().map((q) => ({ ...q, fields: logqlFields(interpolate(q.expr)) }));
const IDENTITY_FIELDS = new Set(['user_id', 'tenant_id', 'session_id']);
const fieldsOf = (e: LokiEntry) => new Set([...Object.keys(e.streamLabels), ...Object.keys(e.structuredMetadata)]);

describe('the fields the shipped LogQL filters on', () => {
  it('should select streams only by labels Loki indexes, never by identity', () => {
    const indexed = new Set(entries.flatMap((e) => Object.keys(e.streamLabels)));

    expect([...indexed].sort()).toEqual(['deployment_environment_name', 'service_name']);
    for (const q of queries) {
      for (const label of q.fields.streamLabels) expect(indexed.has(label), `${q.where}: {${label}=…} is not a stream label`).toBe(true);
    }
  });

  it.each(queries.map((q) => [q.where, q] as const))('should exist on a real record: %s', (_where, q) => {
    const everywhere = new Set(entries.flatMap((e) => [...fieldsOf(e)]));
    expect(q.fields.fields.filter((f) => !everywhere.has(f))).toEqual([]);

    // A query for one activity type must find its other fields on records of that type;
    // identity is the exception: it exists only once the app has bound it (a failed
    // login has no user yet), and the identity filters default to `.*`, which matches
    // records without it.
    const type = requiredActivityType(q.expr);
    const candidates = type === undefined ? entries : entries.filter((e) => e.structuredMetadata.activity_type === type);
    expect(candidates.length, `no ${type} record`).toBeGreaterThan(0);
    const available = new Set(candidates.flatMap((e) => [...fieldsOf(e)]));
    expect(q.fields.fields.filter((f) => !available.has(f) && !IDENTITY_FIELDS.has(f))).toEqual([]);
    // A label the query derives must have one of its sources on every record it counts.
    for (const [label, sources] of Object.entries(q.fields.derived)) {
      for (const e of candidates) expect(sources.some((f) => fieldsOf(e).has(f)), `${label} from ${sources.join(' | ')}`).toBe(true);
    }
  });
});

describe('a real record in Loki', () => {
  it('should carry identity, tenant and session as structured metadata', () => {
    const call = entries.find((e) => e.structuredMetadata.activity_type === 'api_call')!;

    expect(call.structuredMetadata).toMatchObject({ user_id: 'u-42', tenant_id: 'org-9', http_route: '/orders/:id', http_response_status_code: '200' });
    expect(call.structuredMetadata.session_id).toBeTruthy();
    expect(call.structuredMetadata.session_id).not.toContain('s3ss10n-secret');
    expect(call.streamLabels).toEqual({ service_name: 'shop', deployment_environment_name: 'test' });
  });

  it('should keep the narrative sentence as the line and link to its trace', () => {
    const call = entries.find((e) => e.structuredMetadata.activity_type === 'api_call')!;

    expect(call.line).toContain('/orders/7');
    expect(call.structuredMetadata.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('should mark failed logins, errors, security events and audit records as the dashboards expect', () => {
    const meta = (type: string) => entries.find((e) => e.structuredMetadata.activity_type === type)!.structuredMetadata;

    expect(meta('auth')).toMatchObject({ activity_success: 'false', activity_data_username: 'ada', client_address: expect.any(String) });
    expect(meta('auth').user_id).toBeUndefined();
    expect(meta('error')).toMatchObject({ exception_type: 'TypeError', detected_level: 'error' });
    expect(Number(meta('security').activity_risk_score)).toBe(85);
    expect(meta('audit')).toMatchObject({ audit_action: 'UPDATE', audit_resource_type: 'invoice', audit_resource_id: 'INV-7' });
  });
});
