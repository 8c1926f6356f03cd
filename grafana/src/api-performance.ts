import type { Dashboard } from '@grafana/schema';
import { constantVariable, dashboard, logs, loki, regexVariable, serviceVariable, stat, table, timeSeries } from './builders.ts';
import { API_CALLS, NO_ERRORS, UNWRAP_DURATION } from './logql.ts';

/** The ACTIVITY_SLOW_MS and ACTIVITY_VERY_SLOW_MS defaults (src/config/defaults.ts), in milliseconds. */
export const SLOW_MS = 1000;
export const VERY_SLOW_MS = 5000;

const API = `${API_CALLS} | http_route=~"$route"`;

/** API performance: rate, errors, latency percentiles per route, slowest routes, slow requests. */
export const apiPerformance: Dashboard = dashboard({
  uid: 'otel-activity-api-performance',
  title: 'API performance',
  description: 'Request rate, error rate, p50/p95/p99 latency per route, the slowest routes, and slow and very slow requests.',
  variables: [
    serviceVariable(),
    regexVariable('tenant', 'Tenant', 'Tenant id (regex, tenant.id)'),
    regexVariable('user', 'User', 'User id (regex, user.id)'),
    regexVariable('route', 'Route', 'Route template (regex, http.route)'),
    constantVariable('slow_ms', String(SLOW_MS), 'Slow request threshold in milliseconds (ACTIVITY_SLOW_MS)'),
    constantVariable('very_slow_ms', String(VERY_SLOW_MS), 'Very slow request threshold in milliseconds (ACTIVITY_VERY_SLOW_MS)'),
  ],
  panels: [
    stat({
      title: 'Requests per second',
      description: 'api_call records per second.',
      place: { x: 0, y: 0, w: 6, h: 4 },
      unit: 'reqps',
      queries: [loki(`sum(rate(${API} [$__auto]))`)],
    }),
    stat({
      title: 'Error rate',
      description: 'Share of requests answered with a 5xx status.',
      place: { x: 6, y: 0, w: 6, h: 4 },
      unit: 'percentunit',
      queries: [loki(`sum(rate(${API} | http_response_status_code >= 500 ${NO_ERRORS} [$__auto])) / sum(rate(${API} [$__auto]))`)],
    }),
    stat({
      title: 'p95 latency',
      description: '95th percentile of activity.duration_ms over the time range.',
      place: { x: 12, y: 0, w: 6, h: 4 },
      unit: 'ms',
      queries: [loki(`quantile_over_time(0.95, ${API} ${UNWRAP_DURATION} [$__range]) by (service_name)`, { instant: true, legend: '{{service_name}}' })],
    }),
    stat({
      title: 'Slow requests',
      description: `Requests that took at least the slow threshold (${SLOW_MS} ms).`,
      place: { x: 18, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${API} | activity_duration_ms >= $slow_ms ${NO_ERRORS} [$__range]))`, { instant: true })],
    }),
    timeSeries({
      title: 'Request rate by route',
      description: 'api_call records per second, per route template.',
      place: { x: 0, y: 4, w: 12, h: 8 },
      unit: 'reqps',
      queries: [loki(`sum by (http_route) (rate(${API} [$__auto]))`, { legend: '{{http_route}}' })],
    }),
    timeSeries({
      title: 'Error rate',
      description: 'Share of requests answered with 5xx (server errors) and 4xx (client errors).',
      place: { x: 12, y: 4, w: 12, h: 8 },
      unit: 'percentunit',
      queries: [
        loki(`sum(rate(${API} | http_response_status_code >= 500 ${NO_ERRORS} [$__auto])) / sum(rate(${API} [$__auto]))`, { legend: '5xx' }),
        loki(`sum(rate(${API} | http_response_status_code >= 400 | http_response_status_code < 500 ${NO_ERRORS} [$__auto])) / sum(rate(${API} [$__auto]))`, { legend: '4xx' }),
      ],
    }),
    timeSeries({
      title: 'Latency per route (p50, p95, p99)',
      description: `Percentiles of activity.duration_ms per route; the red line is the slow threshold (${SLOW_MS} ms).`,
      place: { x: 0, y: 12, w: 16, h: 9 },
      unit: 'ms',
      thresholdAt: SLOW_MS,
      queries: [0.5, 0.95, 0.99].map((q) =>
        loki(`quantile_over_time(${q}, ${API} ${UNWRAP_DURATION} [$__auto]) by (http_route)`, { legend: `p${Math.round(q * 100)} {{http_route}}` }),
      ),
    }),
    table({
      title: 'Slowest routes (p95)',
      description: 'Routes by 95th percentile latency over the time range.',
      place: { x: 16, y: 12, w: 8, h: 9 },
      unit: 'ms',
      transformToRows: true,
      queries: [loki(`topk(10, quantile_over_time(0.95, ${API} ${UNWRAP_DURATION} [$__range]) by (http_route))`, { instant: true, legend: '{{http_route}}' })],
    }),
    timeSeries({
      title: 'Slow and very slow requests',
      description: `Requests of ${SLOW_MS} ms or more (WARN) and of ${VERY_SLOW_MS} ms or more (ERROR).`,
      place: { x: 0, y: 21, w: 12, h: 8 },
      stacked: true,
      queries: [
        loki(`sum(count_over_time(${API} | activity_duration_ms >= $slow_ms | activity_duration_ms < $very_slow_ms ${NO_ERRORS} [$__auto]))`, { legend: 'slow' }),
        loki(`sum(count_over_time(${API} | activity_duration_ms >= $very_slow_ms ${NO_ERRORS} [$__auto]))`, { legend: 'very slow' }),
      ],
    }),
    logs({
      title: 'Slow requests',
      description: 'The narrative lines of requests at or above the slow threshold, newest first.',
      place: { x: 12, y: 21, w: 12, h: 8 },
      queries: [loki(`${API} | activity_duration_ms >= $slow_ms`)],
    }),
  ],
});
