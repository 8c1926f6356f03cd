import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as HttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, type LogRecordExporter, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditSink } from '../../collector/AuditSink.ts';
import { resolveSinkConfig } from '../../collector/sink-config.ts';
import { type ActivityHandle, activity, startActivity } from '../../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

// Real parts only: the SDK makes the records (startActivity + recordAudit), its own OTLP
// exporters post them, the sink writes through a TCP proxy into a throwaway database on
// the machine's PostgreSQL; the proxy is cut to simulate the database going away.

const TOKEN = 'sink-test-token-0123456789';
const MAX_BODY = 64 * 1024;

let db: TestDatabase;
let proxy: TcpProxy;
let sink: AuditSink;
let base: string;
let reader: pg.Client;
let handle: ActivityHandle;
let dir: string;
const emitted = new InMemoryLogRecordExporter();

/** Real audit records from the SDK (and one ordinary record), as an app's recordAudit makes them. */
async function auditRecords(n: number, tag: string): Promise<ReadableLogRecord[]> {
  emitted.reset();
  await activity.withContext({ user: { id: 'u-7', name: 'Grace' }, tenant: 'org-1' }, async () => {
    for (let i = 0; i < n; i++) {
      await activity.getRecorder('billing').recordAudit({ action: 'UPDATE', resource: { type: 'invoice', id: `${tag}-${i}` }, details: { status: 'paid', amount: 42 + i } });
    }
    activity.getRecorder('billing').recordAction({ type: 'click', description: 'not an audit record' });
  });
  await handle.forceFlush();
  return emitted.getFinishedLogRecords().slice();
}

function exportWith(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<{ code: ExportResultCode; error?: Error }> {
  return new Promise((resolve) => exporter.export(records, resolve));
}

function post(body: Uint8Array | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
}

async function rows(where = "action = 'UPDATE'"): Promise<Record<string, any>[]> {
  return (await reader.query(`SELECT * FROM activity_log WHERE ${where} ORDER BY created_at, event_id`)).rows;
}

const idsOf = (records: ReadableLogRecord[]) => records.filter((r) => r.attributes['audit.action']).map((r) => r.attributes['audit.event_id'] as string);

beforeAll(async () => {
  db = await createTestDatabase('activity_sink');
  const url = new URL(db.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  dir = mkdtempSync(join(tmpdir(), 'otel-activity-sink-'));
  const config = resolveSinkConfig(
    {
      ACTIVITY_AUDIT_DATABASE_URL: url.toString(),
      ACTIVITY_AUDIT_HMAC_KEY: 'sink-test-hmac-key-0123456789',
      ACTIVITY_SINK_PORT: '0',
      ACTIVITY_SINK_HOST: '127.0.0.1',
      ACTIVITY_SINK_TOKEN: TOKEN,
      ACTIVITY_SINK_MAX_BODY_BYTES: String(MAX_BODY),
      ACTIVITY_SINK_VERIFY_INTERVAL_MS: '0',
      ACTIVITY_SINK_RETRY_AFTER_SECONDS: '1',
    },
    dir,
  );
  sink = new AuditSink({ config: { ...config, reopenIntervalMillis: 200 } });
  base = await sink.listen();
  for (let i = 0; i < 100 && (await fetch(`${base}/health`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  reader = new pg.Client({ connectionString: db.url });
  await reader.connect();
  handle = startActivity(
    { console: 'off', file: false, banner: false, audit: { enabled: false } },
    { configFile: false, env: { OTEL_SERVICE_NAME: 'billing-api' }, processors: [new SimpleLogRecordProcessor({ exporter: emitted })] },
  );
}, 30_000);

afterAll(async () => {
  await handle?.shutdown();
  await reader?.end();
  await sink?.close();
  await proxy?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await proxy.restore();
});

describe('AuditSink', () => {
  describe('POST /v1/logs', () => {
    it.each([
      ['protobuf', () => new ProtobufLogExporter({ url: `${base}/v1/logs`, headers: { authorization: `Bearer ${TOKEN}` } })],
      ['JSON, gzip', () => new HttpJsonLogExporter({ url: `${base}/v1/logs`, headers: { authorization: `Bearer ${TOKEN}` }, compression: CompressionAlgorithm.GZIP })],
    ])("should commit the audit records the SDK's OTLP exporter sends (%s) to Postgres", async (encoding, makeExporter) => {
      const records = await auditRecords(2, encoding);
      const exporter = makeExporter();

      const result = await exportWith(exporter, records);
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      const stored = await rows(`event_id = ANY('{${idsOf(records).join(',')}}')`);
      expect(stored).toHaveLength(2);
      expect(stored[0]).toMatchObject({
        action: 'UPDATE',
        resource_type: 'invoice',
        resource_id: `${encoding}-0`,
        user_id: 'u-7',
        user_name: 'Grace',
        tenant_id: 'org-1',
        outcome: 'success',
        category: 'data_management',
        level: 'info',
        details: { status: 'paid', amount: 42 },
      });
      expect(stored[0]!.description).toBe("updated invoice '" + `${encoding}-0'`);
    });

    it('should answer 200 and write nothing for records without audit.action', async () => {
      const before = (await rows('true')).length;
      const clicks = (await auditRecords(0, 'none')).filter((r) => !r.attributes['audit.action']);

      const res = await post(ProtobufLogsSerializer.serializeRequest(clicks)!);

      expect(res.status).toBe(200);
      expect((await rows('true')).length).toBe(before);
    });

    it('should ignore a duplicate event id, so a retried request is harmless', async () => {
      const body = JsonLogsSerializer.serializeRequest(await auditRecords(3, 'dup'))!;

      const first = await post(body, { 'content-type': 'application/json' });
      const again = await post(body, { 'content-type': 'application/json' });

      expect([first.status, again.status]).toEqual([200, 200]);
      expect(await again.json()).toEqual({});
      expect(await rows("resource_id LIKE 'dup-%'")).toHaveLength(3);
    });

    it('should skip records the application already wrote in its own transaction', async () => {
      const records = await auditRecords(1, 'persisted');
      const persisted = records.map((r) => Object.assign(Object.create(Object.getPrototypeOf(r)), r, { attributes: { ...r.attributes, 'audit.persisted': true } }));

      const res = await post(ProtobufLogsSerializer.serializeRequest(persisted)!);

      expect(res.status).toBe(200);
      expect(await rows("resource_id = 'persisted-0'")).toHaveLength(0);
    });

    it('should answer 503 with Retry-After while the database is unreachable, and commit once it is back', async () => {
      const body = ProtobufLogsSerializer.serializeRequest(await auditRecords(2, 'outage'))!;
      await proxy.cut();

      const during = await post(body);
      const health = await fetch(`${base}/health`);

      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('1');
      expect(health.status).toBe(503);
      expect(await rows("resource_id LIKE 'outage-%'")).toHaveLength(0);

      await proxy.restore();
      const after = await post(body);

      expect(after.status).toBe(200);
      expect(await rows("resource_id LIKE 'outage-%'")).toHaveLength(2);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    });

    it("should lose nothing when the database returns while the SDK exporter is retrying", async () => {
      const records = await auditRecords(2, 'retry');
      const exporter = new ProtobufLogExporter({ url: `${base}/v1/logs`, headers: { authorization: `Bearer ${TOKEN}` }, timeoutMillis: 20_000 });
      await proxy.cut();

      const exported = exportWith(exporter, records);
      await new Promise((r) => setTimeout(r, 1500));
      await proxy.restore();
      const result = await exported;
      await exporter.shutdown();

      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(await rows("resource_id LIKE 'retry-%'")).toHaveLength(2);
      expect(sink.stats().unavailable).toBeGreaterThan(0);
    }, 30_000);

    it.each([
      ['random bytes as protobuf', () => post(Uint8Array.from([0x0a, 0xff, 0xff, 0x01, 0x02]))],
      ['invalid JSON', () => post('{"resourceLogs": [', { 'content-type': 'application/json' })],
      ['corrupt gzip', () => post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })],
    ])('should refuse %s with 400 and keep serving', async (_name, send) => {
      const res = await send();

      expect(res.status).toBe(400);
      expect((await res.text()).length).toBeGreaterThan(0);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    });

    it.each([
      ['a declared length over the limit', () => post(Buffer.alloc(MAX_BODY + 1))],
      [
        'a chunked upload that grows past the limit',
        () =>
          fetch(`${base}/v1/logs`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${TOKEN}` },
            body: new ReadableStream({
              start(controller) {
                for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(MAX_BODY / 4));
                controller.close();
              },
            }),
            duplex: 'half',
          } as RequestInit),
      ],
      ['a small gzip body that inflates past the limit', () => post(gzipSync(Buffer.alloc(MAX_BODY * 8)), { 'content-encoding': 'gzip' })],
    ])('should refuse %s with 413', async (_name, send) => {
      const res = await send().catch((err: Error) => err);

      // The sink may close the connection before a streaming client has sent everything.
      if (res instanceof Error) expect(res.message).toMatch(/fetch failed|other side closed|socket/i);
      else expect(res.status).toBe(413);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    });

    it('should refuse other content types and encodings with 415', async () => {
      expect((await post('hello', { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await post('x', { 'content-encoding': 'zstd' })).status).toBe(415);
    });

    it('should refuse a request without the right bearer token with 401', async () => {
      const body = ProtobufLogsSerializer.serializeRequest(await auditRecords(1, 'anonymous'))!;

      expect((await post(body, { authorization: '' })).status).toBe(401);
      expect((await post(body, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
      expect(await rows("resource_id = 'anonymous-0'")).toHaveLength(0);
    });

    it('should answer 404 elsewhere and 405 for other methods', async () => {
      expect((await fetch(`${base}/v1/traces`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${base}/v1/logs`)).status).toBe(405);
    });
  });

  describe('GET /health', () => {
    it('should report the database and what the sink has done', async () => {
      const res = await fetch(`${base}/health`);

      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'up', store: 'postgres', stats: { inserted: expect.any(Number), refused: expect.any(Number) } });
    });
  });

  describe('verifier', () => {
    it('should record each verification as a VERIFY audit event, BROKEN once a row was tampered with', async () => {
      const ok = await sink.verifier.runNow();

      expect(ok).toMatchObject({ ok: true, broken: [] });
      expect((await rows("action = 'VERIFY'")).at(-1)).toMatchObject({ tenant_id: '', outcome: 'success', category: 'system' });

      // Tamper as the table owner would, with the append-only triggers disabled for the session.
      await reader.query("SET session_replication_role = replica; UPDATE activity_log SET resource_id = 'forged' WHERE resource_id = 'dup-1'; SET session_replication_role = origin");
      const broken = await sink.verifier.runNow();

      expect(broken).toMatchObject({ ok: false, broken: [expect.objectContaining({ tenantId: 'org-1', reason: 'hash_mismatch' })] });
      expect((await rows("action = 'VERIFY'")).at(-1)).toMatchObject({ outcome: 'failure', level: 'error' });
    });
  });
});
