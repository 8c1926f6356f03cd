import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Panel, VariableModel } from '@grafana/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, VERIFY_ACTION } from '../../grafana/src/audit-trail.ts';
import type { AuditStore } from '../../src/audit/AuditStore.ts';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

// The Audit trail dashboard's SQL, with Grafana's macros and variables expanded as the
// Postgres datasource expands them, run against the real schema (migrated by the audit
// store) as the read-only login that collector/postgres/10-grafana-reader.sh creates.

const ROLE = `grafana_reader_${randomBytes(4).toString('hex')}`;
const PASSWORD = 'reader-test-password';

let db: TestDatabase;
let store: AuditStore;
let asReader: pg.Client;

const panels = (auditTrail.panels ?? []) as Panel[];
const variables = (auditTrail.templating?.list ?? []) as VariableModel[];

/** Grafana's expansion of the macros and variables the dashboard uses, for one selection. */
function expand(sql: string, selection: { tenants: string[]; actions: string[]; user?: string; resourceType?: string; resourceId?: string }): string {
  const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;
  return sql
    .replaceAll('$__timeFilter(created_at)', "created_at BETWEEN '2000-01-01T00:00:00Z' AND '2100-01-01T00:00:00Z'")
    .replaceAll('$__timeGroupAlias(created_at, $__interval)', 'floor(extract(epoch from created_at)/60)*60 AS "time"')
    .replaceAll('$tenant', selection.tenants.map(quote).join(','))
    .replaceAll('$action', selection.actions.map(quote).join(','))
    .replaceAll('${user:sqlstring}', quote(selection.user ?? '.*'))
    .replaceAll('${resource_type:sqlstring}', quote(selection.resourceType ?? '.*'))
    .replaceAll('${resource_id:sqlstring}', quote(selection.resourceId ?? '.*'));
}

const sqlOf = (title: string) => String(panels.find((p) => p.title === title)!.targets![0]!.rawSql);
const all = { tenants: ['org-1', 'org-2', ''], actions: ['CREATE', 'UPDATE', 'LOGIN', VERIFY_ACTION] };

beforeAll(async () => {
  db = await createTestDatabase('activity_grafana_sql');
  const script = readFileSync(new URL('../../collector/postgres/10-grafana-reader.sh', import.meta.url), 'utf8').replaceAll('grafana_reader', ROLE);
  const url = new URL(db.url);
  execFileSync('sh', ['-c', script], {
    env: { ...process.env, PGHOST: url.hostname, PGPORT: url.port || '5432', POSTGRES_USER: url.username, POSTGRES_DB: db.name, GRAFANA_DB_PASSWORD: PASSWORD },
    stdio: 'pipe',
  });
  store = await openAuditStore({ enabled: true, databaseUrl: db.url, dataDir: '', hmacKey: 'grafana-sql-test-hmac-key', batchSize: 500 });
  const at = (min: number) => new Date(Date.UTC(2026, 4, 4, 14, min));
  await store.append([
    { eventId: '01a20213-0000-7000-8000-000000000001', occurredAt: at(1), action: 'CREATE', resourceType: 'invoice', resourceId: 'INV-1', userId: 'alice', tenantId: 'org-1' },
    { eventId: '01a20213-0000-7000-8000-000000000002', occurredAt: at(2), action: 'UPDATE', resourceType: 'invoice', resourceId: 'INV-1', userId: "o'brien", tenantId: 'org-1', outcome: 'failure' },
    { eventId: '01a20213-0000-7000-8000-000000000003', occurredAt: at(3), action: 'LOGIN', userId: 'bob', tenantId: 'org-2' },
    { eventId: '01a20213-0000-7000-8000-000000000004', occurredAt: at(4), action: VERIFY_ACTION, resourceType: 'activity_log', tenantId: null, outcome: 'success', details: { ok: true, tenants: 2, rows: 3, broken: [] }, description: 'Audit chains verified' },
  ]);
  url.username = ROLE;
  url.password = PASSWORD;
  asReader = new pg.Client({ connectionString: url.toString() });
  await asReader.connect();
}, 30_000);

afterAll(async () => {
  await asReader?.end();
  await store?.close();
  await db?.drop();
  const admin = new pg.Client({ connectionString: process.env.ACTIVITY_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${ROLE}`); // a generated name: hex digits only
  await admin.end();
});

describe('Audit trail dashboard SQL', () => {
  it('should list every row of the selection, newest first', async () => {
    const { rows } = await asReader.query(expand(sqlOf('Audit trail'), all));

    expect(rows.map((r) => r.action)).toEqual([VERIFY_ACTION, 'LOGIN', 'UPDATE', 'CREATE']);
    expect(rows[1]).toMatchObject({ tenant: 'org-2', user: 'bob' });
  });

  it('should narrow to a tenant, a user (even one with a quote) and a resource', async () => {
    const { rows } = await asReader.query(expand(sqlOf('Audit trail'), { ...all, tenants: ['org-1'], user: "o'brien", resourceType: 'invoice', resourceId: 'INV-1' }));

    expect(rows.map((r) => [r.action, r.user, r.outcome])).toEqual([['UPDATE', "o'brien", 'failure']]);
  });

  it('should count events and failures, and group events by action over time', async () => {
    expect((await asReader.query(expand(sqlOf('Audit events'), { ...all, tenants: ['org-1'] }))).rows).toEqual([{ events: '2' }]);
    expect((await asReader.query(expand(sqlOf('Failures'), all))).rows).toEqual([{ failures: '1' }]);
    const series = (await asReader.query(expand(sqlOf('Audit events by action'), all))).rows;
    expect(series.map((r) => [r.metric, Number(r.value)])).toEqual([['CREATE', 1], ['UPDATE', 1], ['LOGIN', 1], [VERIFY_ACTION, 1]]);
  });

  it('should show the latest chain verification', async () => {
    const { rows } = await asReader.query(sqlOf('Latest chain verification'));

    expect(rows).toEqual([expect.objectContaining({ result: 'OK', tenants: '2', rows: '3', description: 'Audit chains verified' })]);
  });

  it('should fill the tenant and action variables', async () => {
    const query = (name: string) => expand(String(variables.find((v) => v.name === name)!.query), all);

    expect((await asReader.query(query('tenant'))).rows).toEqual([
      { __value: '', __text: '(no tenant)' },
      { __value: 'org-1', __text: 'org-1' },
      { __value: 'org-2', __text: 'org-2' },
    ]);
    expect((await asReader.query(query('action'))).rows.map((r) => r.action)).toEqual(['CREATE', 'LOGIN', 'UPDATE', VERIFY_ACTION]);
  });

  it("should run as a login that can read but never change the audit trail", async () => {
    await expect(asReader.query("INSERT INTO activity_log_meta (key, value) VALUES ('x', 'y')")).rejects.toThrow(/permission denied/);
    await expect(asReader.query('DELETE FROM activity_log')).rejects.toThrow(/permission denied/);
  });
});
