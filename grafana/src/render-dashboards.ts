import type { Dashboard } from '@grafana/schema';
import { apiPerformance } from './api-performance.ts';
import { auditTrail } from './audit-trail.ts';
import { errorsAndSecurity } from './errors-and-security.ts';
import { userJourneys } from './user-journeys.ts';

/** The dashboards Grafana provisions, by file name under grafana/dashboards/. */
export const DASHBOARDS: Readonly<Record<string, Dashboard>> = {
  'user-journeys.json': userJourneys,
  'api-performance.json': apiPerformance,
  'errors-and-security.json': errorsAndSecurity,
  'audit-trail.json': auditTrail,
};

/** The JSON text of each dashboard file (2-space indent, trailing newline). */
export function renderDashboards(): Record<string, string> {
  return Object.fromEntries(Object.entries(DASHBOARDS).map(([file, d]) => [file, `${JSON.stringify(d, null, 2)}\n`]));
}
