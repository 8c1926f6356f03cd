import type { AuditApiRequest } from './AuditApiRequest.ts';
import { recordApiEvent } from './record-api-event.ts';
import { filtersAsJson, integerParam, searchFilters, single } from './request-params.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson } from './send-json.ts';

/** Query parameters of `GET /events`. */
export const LIST_EVENTS_PARAMS = ['tenant', 'limit', 'cursor'] as const;

/**
 * `GET /events`: one page of the matching events, newest first, `{ items, nextCursor? }`
 * (`limit` 1..maxLimit, default 50; pass `nextCursor` back as `cursor` for the next page).
 */
export async function handleListEvents(r: AuditApiRequest): Promise<void> {
  const scope = resolveScope(r);
  const filters = searchFilters(r);
  const limit = integerParam(r, 'limit', 1, r.maxLimit) ?? Math.min(50, r.maxLimit);
  const cursor = single(r, 'cursor');
  const page = await r.store.search(scope, filters, cursor === undefined ? { limit } : { limit, cursor });
  await recordApiEvent(r, {
    description: `Audit trail read: ${page.items.length} events`,
    scope,
    details: { filters: filtersAsJson(r, filters), limit, results: page.items.length },
  });
  sendJson(r.res, 200, page);
}
