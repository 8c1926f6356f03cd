import type { Dashboard } from '@grafana/schema';
import { dashboard, logs, loki, regexVariable, serviceVariable, stat, table, timeSeries } from './builders.ts';
import { IDENTITY, SERVICE } from './logql.ts';

const JOURNEY = `${SERVICE} ${IDENTITY} | session_id=~"$session"`;

/** User journeys: what a user (or one session) did, in order; actions by type; active users. */
export const userJourneys: Dashboard = dashboard({
  uid: 'otel-activity-user-journeys',
  title: 'User journeys',
  description: "A user's or a session's narrative lines in order, actions by type over time, and active users.",
  variables: [
    serviceVariable(),
    regexVariable('tenant', 'Tenant', 'Tenant id (regex, tenant.id)'),
    regexVariable('user', 'User', 'User id (regex, user.id)'),
    regexVariable('session', 'Session', 'Session id (regex, session.id: a digest of the session cookie)'),
  ],
  panels: [
    stat({
      title: 'Active users',
      description: 'Distinct user ids with at least one record in the time range.',
      place: { x: 0, y: 0, w: 6, h: 4 },
      queries: [loki(`count(sum by (user_id) (count_over_time(${SERVICE} ${IDENTITY} | user_id!="" [$__range])))`, { instant: true })],
    }),
    stat({
      title: 'Sessions',
      description: 'Distinct sessions in the time range.',
      place: { x: 6, y: 0, w: 6, h: 4 },
      queries: [loki(`count(sum by (session_id) (count_over_time(${JOURNEY} | session_id!="" [$__range])))`, { instant: true })],
    }),
    stat({
      title: 'Actions',
      description: 'Activity records in the time range.',
      place: { x: 12, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${JOURNEY} [$__range]))`, { instant: true })],
    }),
    stat({
      title: 'Failed actions',
      description: 'Records with activity.success = false.',
      place: { x: 18, y: 0, w: 6, h: 4 },
      queries: [loki(`sum(count_over_time(${JOURNEY} | activity_success="false" [$__range]))`, { instant: true })],
    }),
    timeSeries({
      title: 'Actions by type',
      description: 'Records per activity type (navigation, api_call, form_submission, auth, …).',
      place: { x: 0, y: 4, w: 16, h: 8 },
      stacked: true,
      queries: [loki(`sum by (activity_type) (count_over_time(${JOURNEY} [$__auto]))`, { legend: '{{activity_type}}' })],
    }),
    table({
      title: 'Most active users',
      description: 'Users with the most records in the time range.',
      place: { x: 16, y: 4, w: 8, h: 8 },
      transformToRows: true,
      queries: [loki(`topk(10, sum by (user_id) (count_over_time(${SERVICE} ${IDENTITY} | user_id!="" [$__range])))`, { instant: true, legend: '{{user_id}}' })],
    }),
    timeSeries({
      title: 'Active users over time',
      description: 'Distinct user ids per interval.',
      place: { x: 0, y: 12, w: 24, h: 6 },
      queries: [loki(`count(sum by (user_id) (count_over_time(${SERVICE} ${IDENTITY} | user_id!="" [$__auto])))`, { legend: 'active users' })],
    }),
    logs({
      title: 'Journey',
      description: 'The narrative lines, oldest first. Pick a user or a session above to follow one journey; a trace id opens the trace in Tempo.',
      place: { x: 0, y: 18, w: 24, h: 14 },
      oldestFirst: true,
      queries: [loki(JOURNEY)],
    }),
  ],
});
