import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { requireAdmin } from './require-admin.ts';
import { actorOf } from './record-api-event.ts';
import { integerParam } from './request-params.ts';
import { sendJson } from './send-json.ts';

/** Query parameters of `DELETE /events`. */
export const PURGE_PARAMS = ['olderThanDays'] as const;

/** Longest retention the API accepts, in days (100 years). */
const MAX_DAYS = 36_500;

/**
 * `DELETE /events?olderThanDays=N` (admin only, N required, 0..36500): retention across
 * all tenants; answers `{ deleted, droppedPartitions }`. The store records a PURGE event
 * with the caller as actor in the same transaction.
 */
export async function handlePurge(r: AuditApiRequest): Promise<void> {
  requireAdmin(r, 'purge audit events');
  const days = integerParam(r, 'olderThanDays', 0, MAX_DAYS);
  if (days === undefined) throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, 'olderThanDays is required (a whole number of days, 0 or more)');
  const result = await r.store.purge({ olderThanDays: days, actor: actorOf(r) });
  sendJson(r.res, 200, result);
}
