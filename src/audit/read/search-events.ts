import type { AuditEvent, AuditSearchFilters, Page, PageOptions, TenantScope } from '../AuditStore.ts';
import type { SqlQueryable } from '../driver/SqlDriver.ts';
import { EVENT_COLUMNS, rowToAuditEvent, type EventRow } from './event-row.ts';
import { filterClause } from './filter-clause.ts';
import { decodeCursor, encodeCursor, pageLimit } from './page-cursor.ts';
import { SqlParams } from './SqlParams.ts';

/**
 * One page of matching events, newest first (created_at, then event id, both descending),
 * with keyset pagination: the cursor names the last row seen, so pages stay stable while
 * new events arrive. Trail, history and recent are this with fixed filters.
 */
export async function searchEvents(
  db: SqlQueryable,
  scope: TenantScope,
  filters: AuditSearchFilters,
  page: PageOptions = {},
): Promise<Page<AuditEvent>> {
  const limit = pageLimit(page.limit);
  const params = new SqlParams();
  let where = filterClause(scope, filters, params);
  if (page.cursor !== undefined && page.cursor !== '') {
    const after = decodeCursor(page.cursor);
    where += ` AND (created_at, event_id) < (${params.add(after.createdAt.toISOString())}::timestamptz, ${params.add(after.eventId)}::uuid)`;
  }
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM activity_log WHERE ${where}
      ORDER BY created_at DESC, event_id DESC LIMIT ${params.add(limit + 1)}`,
    params.values,
  );
  const items = rows.slice(0, limit).map(rowToAuditEvent);
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
}

/** One event by id, if it is in the scope. An id that is not a UUID finds nothing. */
export async function getEvent(db: SqlQueryable, scope: TenantScope, eventId: string): Promise<AuditEvent | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return undefined;
  const params = new SqlParams();
  const where = filterClause(scope, {}, params);
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM activity_log WHERE ${where} AND event_id = ${params.add(eventId)}::uuid LIMIT 1`,
    params.values,
  );
  return rows[0] ? rowToAuditEvent(rows[0]) : undefined;
}
