/**
 * Audit write throughput into the machine's PostgreSQL, in one run:
 *   exporter: PostgresAuditLogRecordExporter.export() of SDK-shaped audit records in
 *             batches of 500 (conversion, masking-free normalisation, dedup check, chain
 *             lock, sha256 + HMAC per row, one multi-row insert, head update, commit);
 *   plain:    a multi-row INSERT ... VALUES ($1, …) of the same rows, 500 per statement,
 *             into an unchained copy of activity_log (same partitions and indexes, minus
 *             the chain columns and the seq index).
 * Rounds alternate the two; the median of each is reported. Ends with one JSON line.
 *
 *   node bench/audit-throughput.ts [rowsPerRound=20000] [rounds=3]
 *   (ACTIVITY_BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/test, is used
 *    only to create and drop a throwaway database.)
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import pg from 'pg';
import { openAuditStore } from '../src/audit/open-audit-store.ts';
import { PostgresAuditLogRecordExporter } from '../src/audit/PostgresAuditLogRecordExporter.ts';
import { uuidv7 } from '../src/internal/uuidv7.ts';

const ROWS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const BATCH = 500;
const ADMIN_URL = process.env.ACTIVITY_BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

const PLAIN_COLUMNS = [
  'event_id', 'tenant_id', 'created_at', 'action', 'resource_type', 'resource_id', 'outcome', 'user_id', 'user_name',
  'session_id', 'request_id', 'ip_address', 'user_agent', 'category', 'level', 'risk_score', 'duration_ms',
  'description', 'trace_id', 'span_id', 'details',
];

/** One SDK-shaped audit record (what the pipeline hands the exporter). */
function record(i: number): ReadableLogRecord {
  const ms = Date.now();
  return {
    hrTime: [Math.floor(ms / 1000), (ms % 1000) * 1e6],
    hrTimeObserved: [Math.floor(ms / 1000), (ms % 1000) * 1e6],
    severityNumber: 9,
    body: `user-${i % 200} updated invoice inv-${i}`,
    spanContext: { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: 1 },
    attributes: {
      'audit.event_id': uuidv7(),
      'audit.action': ['CREATE', 'UPDATE', 'DELETE', 'READ'][i % 4]!,
      'audit.resource.type': 'invoice',
      'audit.resource.id': `inv-${i}`,
      'audit.outcome': i % 50 === 0 ? 'failure' : 'success',
      'audit.details': { status: 'paid', amount: i * 1.25, lines: [i % 7, i % 11] } as never,
      'tenant.id': `tenant-${i % 5}`,
      'user.id': `user-${i % 200}`,
      'user.name': `User ${i % 200}`,
      'session.id': `sess-${i % 400}`,
      'request.id': `req-${i}`,
      'client.address': `10.0.${i % 256}.${i % 100}`,
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) bench/1.0',
      'activity.category': 'data_management',
      'activity.description': `Invoice inv-${i} updated`,
      'activity.risk_score': i % 100,
      'activity.duration_ms': (i % 300) / 3,
    },
  } as unknown as ReadableLogRecord;
}

/** The same row, as plain column values. */
function plainValues(r: ReadableLogRecord): unknown[] {
  const a = r.attributes as Record<string, unknown>;
  return [
    a['audit.event_id'], a['tenant.id'], new Date(r.hrTime[0] * 1000 + r.hrTime[1] / 1e6), a['audit.action'], a['audit.resource.type'],
    a['audit.resource.id'], a['audit.outcome'], a['user.id'], a['user.name'], a['session.id'], a['request.id'], a['client.address'],
    a['user_agent.original'], a['activity.category'], 'info', a['activity.risk_score'], a['activity.duration_ms'], a['activity.description'],
    r.spanContext!.traceId, r.spanContext!.spanId, JSON.stringify(a['audit.details']),
  ];
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function createPlainTable(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE activity_log_plain (LIKE activity_log INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)`);
  await pool.query(`ALTER TABLE activity_log_plain DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash, DROP COLUMN user_digest`);
  await pool.query(`ALTER TABLE activity_log_plain ADD CONSTRAINT activity_log_plain_event_key UNIQUE (event_id, created_at)`);
  await pool.query(`CREATE TABLE activity_log_plain_default PARTITION OF activity_log_plain DEFAULT`);
  const now = new Date();
  for (let m = -1; m <= 3; m++) {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m + 1, 1));
    const name = `activity_log_plain_p${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
    await pool.query(`CREATE TABLE ${name} PARTITION OF activity_log_plain FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
  }
  await pool.query('CREATE INDEX ON activity_log_plain (tenant_id, created_at DESC, event_id DESC)');
  await pool.query('CREATE INDEX ON activity_log_plain (tenant_id, user_id, created_at DESC)');
  await pool.query('CREATE INDEX ON activity_log_plain (tenant_id, resource_type, resource_id, created_at DESC)');
}

async function plainRound(pool: pg.Pool, records: ReadableLogRecord[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    const params: unknown[] = [];
    const tuples = batch.map((r) => {
      const values = plainValues(r);
      const placeholders = values.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await pool.query(`INSERT INTO activity_log_plain (${PLAIN_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
  return records.length / ((performance.now() - start) / 1000);
}

async function exporterRound(exporter: PostgresAuditLogRecordExporter, records: ReadableLogRecord[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(records.slice(i, i + BATCH), resolve));
    if (result.code !== 0) throw new Error('export failed');
  }
  const rate = records.length / ((performance.now() - start) / 1000);
  if (exporter.stats().spooled > 0) throw new Error('the exporter spooled: the database was not reachable');
  return rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const name = `activity_bench_${randomBytes(5).toString('hex')}`;
await admin(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const config = {
  enabled: true,
  databaseUrl: url.toString(),
  dataDir: 'memory://',
  spoolDir: `/tmp/${name}-spool`,
  spoolMaxBytes: 1 << 30,
  retentionDays: 90,
  batchSize: BATCH,
  flushIntervalMillis: 200,
};
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
// pool.end() resolves before its clients' sockets close, so the DROP … WITH (FORCE) at the
// end can terminate a connection still closing; unheard, that 'error' crashed the bench.
pool.on('error', () => {});
const exporter = new PostgresAuditLogRecordExporter({ config });
try {
  await (await openAuditStore(config)).close(); // migrate
  await createPlainTable(pool);
  await plainRound(pool, Array.from({ length: BATCH * 2 }, (_, i) => record(i))); // warm up both paths
  await exporterRound(exporter, Array.from({ length: BATCH * 2 }, (_, i) => record(i)));

  const exporterRates: number[] = [];
  const plainRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const records = Array.from({ length: ROWS }, (_, i) => record(i));
    plainRates.push(await plainRound(pool, records));
    exporterRates.push(await exporterRound(exporter, records));
    console.log(`round ${round + 1}: plain ${plainRates.at(-1)!.toFixed(0)} rows/s, exporter ${exporterRates.at(-1)!.toFixed(0)} rows/s`);
  }
  const verify = await (await exporter.store()).verify({ allTenants: true });
  if (!verify.ok) throw new Error('chain does not verify after the benchmark');

  const exporterRowsPerSec = Math.round(median(exporterRates));
  const plainRowsPerSec = Math.round(median(plainRates));
  const ratio = Number((exporterRowsPerSec / plainRowsPerSec).toFixed(3));
  console.log(`rows per round: ${ROWS}, rounds: ${ROUNDS}, batch: ${BATCH}, PostgreSQL: ${(await pool.query('SHOW server_version')).rows[0].server_version}`);
  console.log(`exporter (chained): ${exporterRowsPerSec} rows/s (median)`);
  console.log(`plain multi-row INSERT: ${plainRowsPerSec} rows/s (median)`);
  console.log(`ratio: ${ratio} (target >= 0.5)`);
  console.log(JSON.stringify({ exporterRowsPerSec, plainRowsPerSec, ratio }));
} finally {
  await exporter.shutdown();
  await pool.end();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
