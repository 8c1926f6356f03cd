import type { Dashboard } from '@grafana/schema';
import { dashboard, logs, loki, regexVariable, serviceVariable, stat, table, timeSeries } from './builders.ts';
import { FAILED_LOGINS, IDENTITY, LOGIN_USER, NO_ERRORS, SERVICE } from './logql.ts';

const SCOPE = `${SERVICE} ${IDENTITY}`;

/** Risk bands of the monitoring seed: low 0-30, medium 31-70, high 71-100. */
const RISK_BANDS = [
  { legend: 'high (71-100)', filter: '| activity_risk_score >= 71' },
  { legend: 'medium (31-70)', filter: '| activity_risk_score >= 31 | activity_risk_score < 71' },
  { legend: 'low (0-30)', filter: '| activity_risk_score < 31' },
];

/** Errors and security: errors by type, failed logins by user and client address, security events by risk. */
export const errorsAndSecurity: Dashboard = dashboard({
  uid: 'otel-activity-errors-security',
  title: 'Errors and security',
  description: 'Errors by type, failed logins by user and by client address, and security events by risk.',
  variables: [
    serviceVariable(),
    regexVariable('tenant', 'Tenant', 'Tenant id (regex, tenant.id)'),
    regexVariable('user', 'User', 'User id (regex, user.id)'),
  ],
  panels: [
    stat({
      title: 'Errors',
      description: 'Error records (exceptions) in the time range.',
      place: { x: 0, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${SCOPE} | activity_type="error" [$__range]))`, { instant: true })],
    }),
    stat({
      title: 'Server errors (5xx)',
      description: 'Requests answered with a 5xx status in the time range.',
      place: { x: 6, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${SCOPE} | activity_type="api_call" | http_response_status_code >= 500 ${NO_ERRORS} [$__range]))`, { instant: true })],
    }),
    stat({
      title: 'Failed logins',
      description: 'auth records with activity.success = false in the time range.',
      place: { x: 12, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${SCOPE} ${FAILED_LOGINS} [$__range]))`, { instant: true })],
    }),
    stat({
      title: 'High-risk security events',
      description: 'security records with a risk score of 71 or more in the time range.',
      place: { x: 18, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${SCOPE} | activity_type="security" | activity_risk_score >= 71 ${NO_ERRORS} [$__range]))`, { instant: true })],
    }),
    timeSeries({
      title: 'Errors by type',
      description: 'Exceptions by exception.type, and failed requests by error.type (the status code or exception name).',
      place: { x: 0, y: 4, w: 12, h: 8 },
      stacked: true,
      queries: [
        loki(`sum by (exception_type) (count_over_time(${SCOPE} | activity_type="error" [$__auto]))`, { legend: '{{exception_type}}' }),
        loki(`sum by (error_type) (count_over_time(${SCOPE} | activity_type="api_call" | error_type!="" [$__auto]))`, { legend: 'HTTP {{error_type}}' }),
      ],
    }),
    timeSeries({
      title: 'Security events by risk',
      description: 'security records per risk band (activity.risk_score).',
      place: { x: 12, y: 4, w: 12, h: 8 },
      stacked: true,
      queries: RISK_BANDS.map((band) => loki(`sum(count_over_time(${SCOPE} | activity_type="security" ${band.filter} ${NO_ERRORS} [$__auto]))`, { legend: band.legend })),
    }),
    table({
      title: 'Failed logins by user',
      description: 'Accounts with the most failed logins in the time range: the bound user, else the username the app passed to recordAuth.',
      place: { x: 0, y: 12, w: 8, h: 8 },
      transformToRows: true,
      queries: [loki(`topk(10, sum by (login_user) (count_over_time(${SCOPE} ${FAILED_LOGINS} ${LOGIN_USER} | login_user!="" [$__range])))`, { instant: true, legend: '{{login_user}}' })],
    }),
    table({
      title: 'Failed logins by client address',
      description: 'Client addresses with the most failed logins in the time range.',
      place: { x: 8, y: 12, w: 8, h: 8 },
      transformToRows: true,
      queries: [loki(`topk(10, sum by (client_address) (count_over_time(${SCOPE} ${FAILED_LOGINS} [$__range])))`, { instant: true, legend: '{{client_address}}' })],
    }),
    timeSeries({
      title: 'Failed logins',
      description: 'Failed logins per interval.',
      place: { x: 16, y: 12, w: 8, h: 8 },
      queries: [loki(`sum(count_over_time(${SCOPE} ${FAILED_LOGINS} [$__auto]))`, { legend: 'failed logins' })],
    }),
    logs({
      title: 'Errors',
      description: 'ERROR and FATAL records (exceptions, 5xx, very slow requests), newest first.',
      place: { x: 0, y: 20, w: 12, h: 10 },
      queries: [loki(`${SCOPE} | detected_level=~"error|fatal"`)],
    }),
    logs({
      title: 'Security events and failed logins',
      description: 'security records and failed logins, newest first.',
      place: { x: 12, y: 20, w: 12, h: 10 },
      queries: [loki(`${SCOPE} | activity_type="security" or (activity_type="auth" and activity_success="false")`)],
    }),
  ],
});
