import type { AuditApiRequest } from './AuditApiRequest.ts';
import { recordApiEvent } from './record-api-event.ts';
import { filtersAsJson, integerParam, searchFilters } from './request-params.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson } from './send-json.ts';

/** Query parameters of `GET /statistics` besides the filters. */
export const STATISTICS_PARAMS = ['tenant', 'topUsers'] as const;

/**
 * `GET /statistics`: totals over the matching events (`total`, `activeUsers`, `byAction`,
 * `byCategory`, `byLevel`, `errorRate` 0-1, `topUsers`; `topUsers` 0..100, default 10).
 */
export async function handleStatistics(r: AuditApiRequest): Promise<void> {
  const scope = resolveScope(r);
  const filters = searchFilters(r);
  const topUsers = integerParam(r, 'topUsers', 0, 100) ?? 10;
  const stats = await r.store.statistics(scope, filters, { topUsers });
  await recordApiEvent(r, {
    description: `Audit statistics read over ${stats.total} events`,
    scope,
    details: { filters: filtersAsJson(r, filters), total: stats.total },
  });
  sendJson(r.res, 200, stats);
}
