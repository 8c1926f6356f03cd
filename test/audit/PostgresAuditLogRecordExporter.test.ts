import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditStore } from '../../src/audit/AuditStore.ts';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { PostgresAuditLogRecordExporter } from '../../src/audit/PostgresAuditLogRecordExporter.ts';
import { AuditSpool } from '../../src/audit/spool/AuditSpool.ts';
import type { ResolvedAuditConfig } from '../../src/config/options.ts';
import { uuidv7 } from '../../src/internal/uuidv7.ts';
import { emitSdkLogRecords } from '../support/emit-sdk-log-records.ts';
import { waitFor } from '../support/http.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/** Real SDK records of the contract: `n` audit records of a tenant. */
async function auditRecords(n: number, tenant = 'exp', extra: Record<string, unknown> = {}): Promise<ReadableLogRecord[]> {
  return emitSdkLogRecords({ 'service.name': 'test' }, (getLogger) => {
    const logger = getLogger('otel-activity');
    for (let i = 0; i < n; i++) {
      logger.emit({
        eventName: 'activity.audit',
        severityNumber: 9,
        body: `alice updated invoice ${i}`,
        attributes: {
          'activity.type': 'audit',
          'audit.event_id': uuidv7(),
          'audit.action': 'UPDATE',
          'audit.resource.type': 'invoice',
          'audit.resource.id': String(i),
          'tenant.id': tenant,
          'user.id': 'alice',
          ...extra,
        },
      });
    }
  });
}

function exportBatch(exporter: PostgresAuditLogRecordExporter, records: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(records, resolve));
}

describe('PostgresAuditLogRecordExporter', () => {
  let db: TestDatabase;
  let dir: string;
  let proxy: TcpProxy;
  let checker: pg.Pool;
  const cleanup: (() => Promise<unknown>)[] = [];

  const config = (overrides: Partial<ResolvedAuditConfig> = {}): ResolvedAuditConfig => ({
    enabled: true,
    databaseUrl: `postgres://root@127.0.0.1:${proxy.port}/${db.name}`,
    dataDir: join(dir, 'data'),
    spoolDir: mkdtempSync(join(dir, 'spool-')),
    spoolMaxBytes: 10 * 1024 * 1024,
    retentionDays: 90,
    batchSize: 100,
    flushIntervalMillis: 50,
    ...overrides,
  });
  const rows = async (tenant: string) =>
    (await checker.query<{ n: number; ids: number }>('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM activity_log WHERE tenant_id = $1', [tenant])).rows[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'otel-activity-exporter-'));
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    checker = new pg.Pool({ connectionString: db.url, max: 2 });
    checker.on('error', () => {}); // an idle connection cut by the final DROP ... WITH FORCE is expected
    (await openAuditStore({ enabled: true, dataDir: 'memory://', batchSize: 500, databaseUrl: db.url }).then((s) => s.close()));
  });
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
    await proxy.restore().catch(() => {}); // a test may leave it stopped
  });
  afterAll(async () => {
    await checker?.end();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  function exporterOf(cfg: ResolvedAuditConfig, extra: { openStore?: () => Promise<AuditStore> } = {}) {
    const exporter = new PostgresAuditLogRecordExporter({ config: cfg, initialBackoffMillis: 20, maxBackoffMillis: 100, ...extra });
    cleanup.push(() => exporter.shutdown());
    return exporter;
  }

  describe('export', () => {
    it('should write audit records, in batches, once each', async () => {
      const exporter = exporterOf(config());
      const records = await auditRecords(250, 'write');
      expect(await exportBatch(exporter, records)).toEqual({ code: ExportResultCode.SUCCESS });
      expect(await exportBatch(exporter, records.slice(0, 10))).toEqual({ code: ExportResultCode.SUCCESS });
      expect(await rows('write')).toEqual({ n: 250, ids: 250 });
      expect(exporter.stats()).toMatchObject({ written: 250, duplicates: 10, spooled: 0, dropped: 0, outage: false });
      const [row] = (await checker.query(`SELECT action, resource_type, user_id, level, description FROM activity_log WHERE tenant_id = 'write' AND resource_id = '7'`)).rows;
      expect(row).toEqual({ action: 'UPDATE', resource_type: 'invoice', user_id: 'alice', level: 'info', description: 'alice updated invoice 7' });
    });

    it('should skip records without audit.action or already persisted, without opening the store', async () => {
      let opened = 0;
      const exporter = exporterOf(config(), { openStore: () => (opened++, Promise.reject(new Error('must not open'))) });
      const plain = await emitSdkLogRecords({}, (getLogger) => getLogger('x').emit({ body: 'GET /', attributes: { 'activity.type': 'api_call' } }));
      const persisted = await auditRecords(3, 'persisted', { 'audit.persisted': true });
      expect(await exportBatch(exporter, [...plain, ...persisted])).toEqual({ code: ExportResultCode.SUCCESS });
      expect(opened).toBe(0);
      expect(exporter.stats()).toMatchObject({ written: 0, spooled: 0 });
    });

    it('should take records from a BatchLogRecordProcessor', async () => {
      const exporter = new PostgresAuditLogRecordExporter({ config: config() });
      const provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 100, scheduledDelayMillis: 20 })] });
      const logger = provider.getLogger('app');
      for (let i = 0; i < 300; i++) {
        logger.emit({ severityNumber: 13, attributes: { 'audit.action': 'LOGIN', 'audit.event_id': uuidv7(), 'tenant.id': 'batched' } });
      }
      await provider.shutdown(); // flushes, then shuts the exporter down
      expect(await rows('batched')).toEqual({ n: 300, ids: 300 });
      expect((await checker.query(`SELECT DISTINCT level FROM activity_log WHERE tenant_id = 'batched'`)).rows).toEqual([{ level: 'warn' }]);
    });

    it('should write to the embedded store when no database URL is set', async () => {
      const exporter = exporterOf(config({ databaseUrl: undefined, dataDir: join(dir, 'embedded') }));
      expect(await exportBatch(exporter, await auditRecords(5, 'lite'))).toEqual({ code: ExportResultCode.SUCCESS });
      const store = await exporter.store();
      expect(store.kind).toBe('pglite');
      expect((await store.recent({ tenantId: 'lite' })).items).toHaveLength(5);
    });
  });

  describe('when the database is unreachable', () => {
    it('should lose and duplicate nothing across an outage during writes and a process restart', async () => {
      const cfg = config({ batchSize: 50 });
      const first = new PostgresAuditLogRecordExporter({ config: cfg, initialBackoffMillis: 10_000 });
      const before = await auditRecords(120, 'outage');
      const during = await auditRecords(180, 'outage');
      const after = await auditRecords(40, 'outage');

      expect((await exportBatch(first, before)).code).toBe(ExportResultCode.SUCCESS);
      // Cut the database off while a batch is being written: some of its chunks may commit.
      const inFlight = exportBatch(first, during.slice(0, 100));
      await proxy.cut();
      expect((await inFlight).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportBatch(first, during.slice(100))).code).toBe(ExportResultCode.SUCCESS);
      expect(first.stats()).toMatchObject({ outage: true, dropped: 0 });
      expect(first.stats().spooled).toBeGreaterThanOrEqual(80);
      await first.shutdown(); // the process ends during the outage: the spool stays on disk
      expect(readdirSync(cfg.spoolDir).filter((n) => n.endsWith('.jsonl')).length).toBeGreaterThan(0);

      await proxy.restore();
      const second = exporterOf(cfg); // a new process, same spool directory
      await waitFor(() => second.stats().spoolFiles === 0, 15_000);
      expect((await exportBatch(second, after)).code).toBe(ExportResultCode.SUCCESS);

      expect(await rows('outage')).toEqual({ n: 340, ids: 340 });
      const store = await second.store();
      expect(await store.verify({ tenantId: 'outage' })).toMatchObject({ ok: true, tenants: [{ rows: 340 }] });
      expect(second.stats()).toMatchObject({ outage: false, dropped: 0 });
    });

    it('should retry from the spool with backoff and recover in the same process', async () => {
      const exporter = exporterOf(config());
      await proxy.cut();
      expect((await exportBatch(exporter, await auditRecords(30, 'retry'))).code).toBe(ExportResultCode.SUCCESS);
      expect(exporter.stats()).toMatchObject({ outage: true, spooled: 30, written: 0 });
      await new Promise((r) => setTimeout(r, 150)); // a few failed retries
      await proxy.restore();
      await waitFor(() => !exporter.stats().outage, 10_000);
      expect(exporter.stats()).toMatchObject({ written: 30, replayed: 30, spoolFiles: 0 });
      expect(await rows('retry')).toEqual({ n: 30, ids: 30 });
    });

    it('should insert nothing twice when a spooled batch had in fact been committed', async () => {
      const cfg = config();
      const records = await auditRecords(20, 'ambiguous');
      const direct = exporterOf(cfg);
      await exportBatch(direct, records);
      // The same batch also reached the spool (the commit succeeded but the client saw an error).
      const { auditEventFromLogRecord } = await import('../../src/audit/audit-event-from-log-record.ts');
      await new AuditSpool({ dir: cfg.spoolDir, maxBytes: cfg.spoolMaxBytes }).write(records.map((r) => auditEventFromLogRecord(r)!));
      const restarted = exporterOf(cfg);
      await waitFor(() => restarted.stats().spoolFiles === 0, 10_000);
      expect(restarted.stats()).toMatchObject({ written: 0, duplicates: 20, replayed: 0 });
      expect(await rows('ambiguous')).toEqual({ n: 20, ids: 20 });
    });

    it('should count and report records past the spool bound, never silently', async () => {
      const messages: string[] = [];
      const logger: DiagLogger = { error: (m) => messages.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} };
      diag.setLogger(logger, { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true });
      cleanup.push(async () => diag.disable());
      const exporter = exporterOf(config({ databaseUrl: 'postgres://root@127.0.0.1:1/unreachable', spoolMaxBytes: 4000 }));
      const results: ExportResult[] = [];
      for (let i = 0; i < 4; i++) results.push(await exportBatch(exporter, await auditRecords(5, 'full')));
      const stats = exporter.stats();
      expect(stats.spooled + stats.dropped).toBe(20);
      expect(stats.dropped).toBeGreaterThan(0);
      expect(stats.spoolBytes).toBeLessThanOrEqual(4000);
      expect(results.filter((r) => r.code === ExportResultCode.FAILED)).toHaveLength(stats.dropped / 5);
      expect(messages.some((m) => /audit spool .* is full/.test(m))).toBe(true);
    });
  });
});
