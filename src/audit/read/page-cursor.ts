import { invalid } from './filter-clause.ts';

/** Position after the last row of a page: its (created_at, event_id). */
export interface CursorPosition {
  createdAt: Date;
  eventId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque cursor: base64url of `[createdAtMillis, eventId]`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.eventId])).toString('base64url');
}

/** @throws ActivityError INVALID_QUERY when the cursor was not made by {@link encodeCursor}. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string' && UUID.test(value[1])) {
      return { createdAt: new Date(value[0] as number), eventId: value[1] };
    }
  } catch {
    // fall through
  }
  throw invalid('cursor is not one this API returned');
}

/** Page size: default 50, clamped to 1..500. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.min(500, Math.max(1, Math.floor(limit)));
}
