import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp } from '../support/activity-apps.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';

/**
 * The HTTP activity specification, run against each framework by
 * node-http.test.ts, express.test.ts and fastify.test.ts.
 */
export function describeHttpActivity(makeApp: () => TestApp & { ready?(): Promise<void> }): void {
  let pipeline: TestPipeline;
  let app: TestApp;
  let base: string;

  beforeAll(async () => {
    pipeline = startTestPipeline({ slowMs: 50, verySlowMs: 200, console: 'off' });
    app = makeApp();
    await (app as { ready?(): Promise<void> }).ready?.();
    base = await listen(app.server);
  });

  afterAll(async () => {
    await close(app.server);
    await app.close();
    await pipeline.stop();
  });

  /** Sends one request and returns the records it produced. */
  async function request(path: string, init: RequestInit = {}, expected = 1): Promise<{ response: Response; records: ReadableLogRecord[] }> {
    const before = pipeline.records().length;
    const response = await fetch(base + path, init);
    await response.arrayBuffer();
    await waitFor(() => pipeline.records().length >= before + expected);
    await new Promise((r) => setTimeout(r, 20)); // nothing more should arrive
    return { response, records: pipeline.records().slice(before) };
  }

  it('should produce exactly one api_call record per request, with the request\'s attributes', async () => {
    const { response, records } = await request('/items/42?view=full', {
      headers: { 'user-agent': 'spec-agent/1.0', referer: 'http://app.test/list', cookie: 'theme=dark; sid=s3cr3t-session-cookie' },
    });
    expect(response.status).toBe(200);
    expect(records).toHaveLength(1);
    const [record] = records;
    const a = record!.attributes;
    expect(record!.eventName).toBe('activity.api_call');
    expect(record!.severityText).toBe('INFO');
    expect(a['activity.type']).toBe('api_call');
    expect(a['activity.success']).toBe(true);
    expect(a['activity.description']).toBe('GET /items/42');
    expect(a['http.request.method']).toBe('GET');
    expect(a['url.path']).toBe('/items/42');
    expect(a['url.query']).toBe('view=full');
    expect(a['http.response.status_code']).toBe(200);
    expect(a['activity.duration_ms']).toBeGreaterThan(5);
    expect(a['client.address']).toBe('127.0.0.1');
    expect(a['user_agent.original']).toBe('spec-agent/1.0');
    expect(a['http.request.header.referer']).toBe('http://app.test/list');
    expect(a['http.route']).toBe('/items/:id');
    // Identity bound after an await and in a timer reaches the record.
    expect(a['user.id']).toBe('alice');
    expect(a['user.name']).toBe('Alice');
    expect(a['user.roles']).toEqual(['admin']);
    expect(a['tenant.id']).toBe('org-1');
    // The session cookie is a credential: only a digest of it is logged.
    expect(a['session.id']).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(records)).not.toContain('s3cr3t-session-cookie');
    expect(record!.body).toBe(`🔌 User alice made API call to 'GET /items/42' at ${new Date(record!.hrTime[0] * 1000).toISOString().slice(11, 19)} → ✅ Result: HTTP 200 SUCCESS (took ${Math.round((a['activity.duration_ms'] as number) * 100) / 100}ms)`);
  });

  it('should echo the client\'s x-request-id, or generate one and echo that', async () => {
    const given = await request('/items/1', { headers: { 'x-request-id': 'req-789-012' } });
    expect(given.response.headers.get('x-request-id')).toBe('req-789-012');
    expect(given.records[0]!.attributes['request.id']).toBe('req-789-012');

    const generated = await request('/items/2');
    const id = generated.response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.records[0]!.attributes['request.id']).toBe(id);
  });

  it('should not trust a malformed x-request-id (log injection)', async () => {
    const { response, records } = await request('/items/3', { headers: { 'x-request-id': 'abc"} {"user":"root' } });
    expect(response.headers.get('x-request-id')).not.toContain('"');
    expect(records[0]!.attributes['request.id']).toBe(response.headers.get('x-request-id'));
  });

  it('should make a slow request WARN and a very slow one ERROR', async () => {
    const slow = await request('/slow');
    expect(slow.records[0]!.severityText).toBe('WARN');
    expect(slow.records[0]!.attributes['activity.success']).toBe(true);
    const verySlow = await request('/very-slow');
    expect(verySlow.records[0]!.severityText).toBe('ERROR');
  });

  it('should make a 5xx answer an ERROR api_call plus an error record', async () => {
    const { response, records } = await request('/broken', {}, 2);
    expect(response.status).toBe(500);
    expect(records.map((r) => r.eventName)).toEqual(['activity.api_call', 'activity.error']);
    expect(records[0]!.severityText).toBe('ERROR');
    expect(records[0]!.attributes['activity.success']).toBe(false);
    expect(records[1]!.severityText).toBe('ERROR');
    expect(records[1]!.attributes['exception.type']).toBe('HTTP 500');
    expect(records[1]!.attributes['exception.message']).toBe('Internal Server Error');
    expect(records[1]!.attributes['request.id']).toBe(records[0]!.attributes['request.id']);
  });

  it('should make a 4xx answer WARN, without an error record', async () => {
    const { response, records } = await request('/items/x/does-not-exist');
    if (response.status === 404) {
      expect(records).toHaveLength(1);
      expect(records[0]!.severityText).toBe('WARN');
      expect(records[0]!.attributes['error.type']).toBe('404');
    } else {
      expect(response.status).toBe(200); // node:http app answers everything
    }
  });

  it('should record a thrown handler error with its type and message, and keep serving', async () => {
    if (!app.knowsRoutes) return; // node:http has no framework to catch a throw
    const { response, records } = await request('/fail', {}, 2);
    expect(response.status).toBe(500);
    const error = records.find((r) => r.eventName === 'activity.error')!;
    expect(error.attributes['exception.type']).toBe('TypeError');
    expect(error.attributes['exception.message']).toBe('broken handler');
    expect(error.attributes['activity.description']).toBe('TypeError: broken handler');
    expect(String(error.attributes['exception.stacktrace'])).toContain('TypeError: broken handler');
    expect(error.attributes['http.route']).toBe('/fail');
    expect(error.body).toMatch(/^❌ Anonymous user from 127\.0\.0\.1 encountered error: 'TypeError: broken handler' at \d\d:\d\d:\d\d → ❌ Result: Error occurred$/);
    expect((await request('/items/5')).response.status).toBe(200);
  });

  it('should record nothing for ignored paths', async () => {
    const before = pipeline.records().length;
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(pipeline.records().length).toBe(before);
  });

  it('should classify page views, form posts, uploads', async () => {
    const page = await request('/items/6', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.records[0]!.attributes['activity.type']).toBe('navigation');
    expect(page.records[0]!.eventName).toBe('activity.navigation');
  });
}
