import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { activity } from '../../src/index.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';

/** The receiver runs in this process: its own paths must not produce records (which would be exported again). */
const IGNORE = ['/health', '/v1'];

describe('OTLP export', () => {
  let receiver: OtlpReceiver;
  let pipeline: TestPipeline;
  let server: http.Server;

  afterEach(async () => {
    await close(server);
    await pipeline.stop();
    await receiver.close();
  });

  async function run(env: Record<string, string>): Promise<string> {
    receiver = await startOtlpReceiver();
    pipeline = startTestPipeline(
      { console: 'off', ignorePaths: IGNORE },
      { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,service.version=1.2.3', ...env } },
    );
    server = http.createServer((req, res) => {
      activity.setUser({ id: 'user123' });
      activity.setTenant('org-9');
      activity.getRecorder('billing').recordAction({ type: 'form_submission', description: "Invoice created: 'INV-7'", data: { invoiceId: 'INV-7', amount: 42.5 }, success: true, result: 'Invoice created' });
      res.end(req.url);
    });
    return listen(server);
  }

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`should deliver masked records with narrative bodies to an OTLP/HTTP receiver (${protocol})`, async () => {
      const base = await run({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_TRACES_EXPORTER: 'none' });
      await fetch(`${base}/invoices?api_key=sk-1234567890`, { method: 'POST' });
      await waitFor(() => pipeline.records().length >= 2);
      await pipeline.handle.forceFlush();

      expect(receiver.logs).toHaveLength(2);
      const [action, request] = receiver.logs;
      expect(action!.eventName).toBe('activity.form_submission');
      expect(action!.scope.name).toBe('billing');
      expect(action!.body).toMatch(/^📝 User user123 submitted form 'Invoice created: 'INV-7'' at \d\d:\d\d:\d\d → ✅ Result: Invoice created$/);
      expect(action!.attributes['activity.data']).toEqual({ invoiceId: 'INV-7', amount: 42.5 });
      expect(action!.attributes['tenant.id']).toBe('org-9');
      expect(request!.eventName).toBe('activity.api_call');
      expect(request!.severityNumber).toBe(9);
      expect(request!.severityText).toBe('INFO');
      expect(request!.attributes['http.response.status_code']).toBe(200);
      expect(request!.attributes['url.query']).toBe('api_key=sk*******90');
      expect(request!.attributes['request.id']).toBe(action!.attributes['request.id']);
      expect(request!.resource).toMatchObject({ 'service.name': 'test-service', 'deployment.environment.name': 'test', 'service.version': '1.2.3' });
      expect(Buffer.concat(receiver.rawBodies).includes('sk-1234567890')).toBe(false);
    });
  }

  it('should export the request spans and put their trace ids on the records', async () => {
    const base = await run({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '10' });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await fetch(`${base}/traced`, { headers: { traceparent } });
    await waitFor(() => pipeline.records().length >= 2);
    await pipeline.handle.forceFlush();

    const spans = receiver.traceRequests.flatMap((r) => r.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
    const server = spans.find((s: any) => s.kind === 2);
    expect(server).toBeDefined();
    expect(server.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
    expect(server.name).toBe('GET');
    const attributes = Object.fromEntries(server.attributes.map((kv: any) => [kv.key, Object.values(kv.value)[0]]));
    expect(attributes).toMatchObject({ 'http.request.method': 'GET', 'url.path': '/traced', 'url.scheme': 'http', 'client.address': '127.0.0.1' });
    expect(Number(attributes['http.response.status_code'])).toBe(200);
    const request = receiver.logs.find((r) => r.eventName === 'activity.api_call')!;
    const action = receiver.logs.find((r) => r.eventName === 'activity.form_submission')!;
    expect(request.traceId).toBe(server.traceId);
    expect(request.spanId).toBe(server.spanId);
    expect(action.traceId).toBe(server.traceId);
  });

  it('should trace an outgoing call made by the handler as a child of the request\'s span', async () => {
    const downstream = http.createServer((req, res) => res.end(String(req.headers.traceparent)));
    const downstreamUrl = await listen(downstream);
    receiver = await startOtlpReceiver();
    pipeline = startTestPipeline(
      { console: 'off', ignorePaths: IGNORE },
      { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '10', OTEL_LOGS_EXPORTER: 'none' } },
    );
    server = http.createServer((_req, res) => {
      http.get(downstreamUrl, (down) => {
        let body = '';
        down.on('data', (c) => (body += c));
        down.on('end', () => res.end(body));
      });
    });
    const base = await listen(server);
    const seenByDownstream = await (await fetch(`${base}/calls-out`)).text();
    await waitFor(() => pipeline.records().length >= 2);
    await pipeline.handle.forceFlush();
    await close(downstream);

    const spans = receiver.traceRequests.flatMap((r) => r.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
    const incoming = spans.find((s: any) => s.kind === 2 && s.attributes.some((kv: any) => kv.key === 'url.path' && kv.value.stringValue === '/calls-out'));
    const outgoing = spans.find((s: any) => s.kind === 3);
    expect(outgoing.traceId).toBe(incoming.traceId);
    expect(outgoing.parentSpanId).toBe(incoming.spanId);
    expect(seenByDownstream).toBe(`00-${outgoing.traceId}-${outgoing.spanId}-01`);
  });

  it('should keep activity records when traces are not sampled', async () => {
    const base = await run({ OTEL_TRACES_SAMPLER: 'always_off', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '10' });
    for (let i = 0; i < 3; i++) await fetch(`${base}/unsampled/${i}`);
    await waitFor(() => pipeline.records().length >= 6);
    await pipeline.handle.forceFlush();
    expect(receiver.traceRequests).toHaveLength(0);
    expect(receiver.logs.filter((r) => r.eventName === 'activity.api_call')).toHaveLength(3);
  });

  it('should count what a failing collector could not take, and keep serving', async () => {
    const base = await run({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_TIMEOUT: '2000' });
    receiver.failWith = 400;
    const response = await fetch(`${base}/while-collector-fails`);
    expect(response.status).toBe(200);
    await waitFor(() => pipeline.records().length >= 2);
    await pipeline.handle.forceFlush();
    expect(activity.stats().failed).toBeGreaterThanOrEqual(2);
    expect(pipeline.fileLines().map((l) => l.event)).toEqual(['activity.form_submission', 'activity.api_call']);
  });
});
