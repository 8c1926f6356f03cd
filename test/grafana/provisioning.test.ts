import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/defaults.ts';
import { SLOW_MS } from '../../grafana/src/api-performance.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true });
const datasources = parse(read('grafana/provisioning/datasources/datasources.yaml')).datasources as any[];
const byType = (type: string) => datasources.find((d) => d.type === type);
const rules = parse(read('grafana/provisioning/alerting/alert-rules.yaml')).groups.flatMap((g: any) => g.rules) as any[];

describe('grafana/provisioning/datasources', () => {
  it('should point Loki, Tempo and Postgres at the compose services', () => {
    expect(byType('loki').url).toBe('http://loki:3100');
    expect(byType('tempo').url).toBe('http://tempo:3200');
    expect(byType('grafana-postgresql-datasource').url).toBe('postgres:5432');
    expect(byType('grafana-postgresql-datasource').jsonData.database).toBe(compose.services.postgres.environment.POSTGRES_DB);
  });

  it('should link a record\'s trace_id to its trace in Tempo', () => {
    expect(byType('loki').jsonData.derivedFields).toEqual([
      expect.objectContaining({ matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: byType('tempo').uid, url: '$${__value.raw}' }),
    ]);
  });

  it('should link a trace to its records in Loki', () => {
    expect(byType('tempo').jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: byType('loki').uid, customQuery: true });
    expect(byType('tempo').jsonData.tracesToLogsV2.query).toContain('| trace_id="$${__trace.traceId}"');
  });

  it('should read the audit table through the read-only login, with its password from the environment', () => {
    const pg = byType('grafana-postgresql-datasource');

    expect(pg.user).toBe('grafana_reader');
    expect(pg.secureJsonData.password).toBe('$GRAFANA_DB_PASSWORD');
    expect(compose.services.grafana.environment).toHaveProperty('GRAFANA_DB_PASSWORD');
    expect(read('collector/postgres/10-grafana-reader.sh')).toMatch(/CREATE ROLE grafana_reader LOGIN/);
    expect(read('collector/postgres/10-grafana-reader.sh')).not.toMatch(/GRANT (INSERT|UPDATE|DELETE|ALL)/i);
  });
});

describe('grafana/provisioning/alerting', () => {
  const rule = (uid: string) => rules.find((r) => r.uid === uid);
  const threshold = (uid: string) => rule(uid).data.find((d: any) => d.refId === 'C').model.conditions[0].evaluator;
  const expr = (uid: string) => rule(uid).data.find((d: any) => d.refId === 'A').model.expr as string;
  const window = (uid: string) => rule(uid).data.find((d: any) => d.refId === 'A').relativeTimeRange.from as number;

  it('should alert on more than 10 errors in 5 minutes', () => {
    expect(threshold('otel-activity-error-burst')).toEqual({ type: 'gt', params: [10] });
    expect(expr('otel-activity-error-burst')).toMatch(/\[5m\]\)\)$/);
    expect(window('otel-activity-error-burst')).toBe(300);
  });

  it('should alert on more than 5 failed logins in 10 minutes, per user and per client address', () => {
    for (const [uid, by] of [['otel-activity-failed-logins-user', 'login_user'], ['otel-activity-failed-logins-client', 'client_address']] as const) {
      expect(threshold(uid)).toEqual({ type: 'gt', params: [5] });
      expect(expr(uid)).toContain(`sum by (service_name, ${by})`);
      expect(expr(uid)).toContain('| activity_type="auth" | activity_success="false"');
      expect(expr(uid)).toMatch(/\[10m\]\)\)$/);
      expect(window(uid)).toBe(600);
    }
  });

  it('should alert when p95 latency exceeds the slow threshold of the SDK and the dashboard', () => {
    expect(threshold('otel-activity-slow-p95')).toEqual({ type: 'gt', params: [DEFAULTS.slowMs] });
    expect(SLOW_MS).toBe(DEFAULTS.slowMs);
    expect(expr('otel-activity-slow-p95')).toMatch(/^quantile_over_time\(0\.95, .*\| unwrap activity_duration_ms/);
  });

  it('should chain each rule A (Loki) -> B (reduce) -> C (threshold), C being the condition', () => {
    for (const r of rules) {
      expect(r.condition, r.uid).toBe('C');
      expect(r.data.map((d: any) => [d.refId, d.datasourceUid]), r.uid).toEqual([['A', byType('loki').uid], ['B', '__expr__'], ['C', '__expr__']]);
      expect(r.data[1].model.expression).toBe('A');
      expect(r.data[2].model.expression).toBe('B');
    }
  });

  it('should use no $ in templates (Grafana would expand it as an environment variable)', () => {
    for (const r of rules) for (const text of Object.values(r.annotations) as string[]) expect(text, r.uid).not.toContain('$');
  });
});
