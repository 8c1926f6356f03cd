import type { Dashboard, VariableModel } from '@grafana/schema';
import { VERIFY_ACTION } from '../../collector/ChainVerifier.ts';
import { dashboard, logs, loki, regexVariable, serviceVariable, sql, sqlVariable, stat, table, timeSeries } from './builders.ts';
import { SERVICE } from './logql.ts';

/** The audit action the sink records about each periodic chain verification. */
export { VERIFY_ACTION };

// Variables reach SQL only as Grafana quotes them: multi-value query variables as quoted
// lists, free text through ${var:sqlstring}. The datasource login can only SELECT.
const anchored = (variable: string) => `('^(?:' || \${${variable}:sqlstring} || ')$')`;
const WHERE = `$__timeFilter(created_at)
  AND tenant_id IN ($tenant)
  AND action IN ($action)
  AND coalesce(user_id, '') ~ ${anchored('user')}
  AND coalesce(resource_type, '') ~ ${anchored('resource_type')}
  AND coalesce(resource_id, '') ~ ${anchored('resource_id')}`;

const tenantVariable: VariableModel = {
  ...sqlVariable(
    'tenant',
    'Tenant',
    // From the chain heads: one row per tenant, so the list is cheap however large the log is.
    `SELECT tenant_id AS __value, CASE WHEN tenant_id = '' THEN '(no tenant)' ELSE tenant_id END AS __text FROM activity_log_chain ORDER BY 2`,
  ),
  description: 'Tenant (tenant.id); every audit query is scoped to the selection.',
};

/** Audit trail: the Postgres audit table filtered by tenant, user, resource and action, with the latest verification. */
export const auditTrail: Dashboard = dashboard({
  uid: 'otel-activity-audit-trail',
  title: 'Audit trail',
  description: 'The tamper-evident audit table (Postgres) filtered by tenant, user, resource and action, with the latest chain verification.',
  time: 'now-24h',
  variables: [
    serviceVariable(),
    tenantVariable,
    regexVariable('user', 'User', 'User id (regex, user.id)'),
    sqlVariable('action', 'Action', 'SELECT DISTINCT action FROM activity_log WHERE $__timeFilter(created_at) ORDER BY 1'),
    regexVariable('resource_type', 'Resource type', 'Resource type (regex, audit.resource.type)'),
    regexVariable('resource_id', 'Resource id', 'Resource id (regex, audit.resource.id)'),
  ],
  panels: [
    stat({
      title: 'Audit events',
      description: 'Audit rows in the time range for the selection.',
      place: { x: 0, y: 0, w: 6, h: 4 },
      queries: [sql(`SELECT count(*) AS "events" FROM activity_log WHERE ${WHERE}`)],
    }),
    stat({
      title: 'Failures',
      description: "Audit rows with outcome 'failure' (refused or failed operations).",
      place: { x: 6, y: 0, w: 6, h: 4 },
      queries: [sql(`SELECT count(*) AS "failures" FROM activity_log WHERE ${WHERE} AND outcome = 'failure'`)],
    }),
    table({
      title: 'Latest chain verification',
      description: 'The last verification of every tenant hash chain (the audit sink runs it periodically). BROKEN means a row was changed or removed outside retention.',
      place: { x: 12, y: 0, w: 12, h: 4 },
      queries: [
        sql(`SELECT created_at AS "verified at",
  CASE WHEN outcome = 'success' THEN 'OK' ELSE 'BROKEN' END AS "result",
  details->>'tenants' AS "tenants", details->>'rows' AS "rows", description
FROM activity_log
WHERE action = '${VERIFY_ACTION}' AND tenant_id = ''
ORDER BY created_at DESC
LIMIT 1`),
      ],
    }),
    timeSeries({
      title: 'Audit events by action',
      description: 'Audit rows per action over time.',
      place: { x: 0, y: 4, w: 24, h: 7 },
      stacked: true,
      queries: [
        sql(
          `SELECT $__timeGroupAlias(created_at, $__interval), action AS metric, count(*) AS value
FROM activity_log
WHERE ${WHERE}
GROUP BY 1, 2
ORDER BY 1`,
          'time_series',
        ),
      ],
    }),
    table({
      title: 'Audit trail',
      description: 'Newest first (at most 500 rows): who did what to which resource, in which tenant, with the request and trace to follow it.',
      place: { x: 0, y: 11, w: 24, h: 12 },
      queries: [
        sql(`SELECT created_at AS "time", tenant_id AS "tenant", user_id AS "user", action, resource_type AS "resource type",
  resource_id AS "resource id", outcome, level, risk_score AS "risk", description, ip_address AS "client",
  request_id AS "request", trace_id AS "trace", seq, event_id AS "event id"
FROM activity_log
WHERE ${WHERE}
ORDER BY created_at DESC, event_id DESC
LIMIT 500`),
      ],
    }),
    logs({
      title: 'Audit records in the log stream',
      description: 'The same audit events as narrative lines in Loki (the records the collector forwarded), newest first.',
      place: { x: 0, y: 23, w: 24, h: 10 },
      queries: [loki(`${SERVICE} | activity_type="audit" | tenant_id=~"\${tenant:regex}" | user_id=~"$user" | audit_action=~"\${action:regex}"`)],
    }),
  ],
});
