import type { AuditOutcome, AuditSearchFilters } from '../audit/AuditStore.ts';
import { ActivityLevel } from '../constants.ts';
import { ActivityError, ErrorCode } from '../internal/errors.ts';

/** The search filters, by the names the HTTP API uses (the CLI maps its flags onto them). */
export type FilterField = 'action' | 'category' | 'level' | 'userId' | 'resourceType' | 'resourceId' | 'outcome' | 'from' | 'to' | 'minRiskScore' | 'text';

/** Every {@link FilterField}, in the order help texts list them. */
export const FILTER_FIELDS: readonly FilterField[] = [
  'action', 'category', 'level', 'userId', 'resourceType', 'resourceId', 'outcome', 'from', 'to', 'minRiskScore', 'text',
];

/** Raw filter values as they arrive: one string, or several (repeated query parameters). */
export type RawFilterValues = Partial<Record<FilterField, string | readonly string[] | undefined>>;

/** Longest accepted value of a free-text filter (ids, actions, the text search), in characters. */
const MAX_VALUE_LENGTH = 512;
const LEVELS: readonly string[] = Object.values(ActivityLevel);
const LEVEL_ALIASES: Readonly<Record<string, string>> = { warning: 'warn', critical: 'fatal' };
const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure'];
const RELATIVE = /^(\d{1,6})(m|h|d)$/;
const UNIT_MILLIS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// Date, or date and time with optional seconds, fraction and offset.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Validates raw filter values (HTTP query parameters or CLI flags) into
 * {@link AuditSearchFilters}, so both front ends accept exactly the same forms:
 * - `action`: one or more (repeated, or comma-separated), exact and case-sensitive;
 * - `category`, `userId`, `resourceType`, `resourceId`, `text`: one string of at most 512 characters;
 * - `level`: debug|info|warn|error|fatal (`warning`, `critical` accepted as aliases);
 * - `outcome`: success|failure;
 * - `from` (inclusive), `to` (exclusive): ISO 8601 (`2024-05-01`, `2024-05-01T12:00:00Z`;
 *   a time without an offset is UTC), or a time relative to `now`: `30m`, `24h`, `7d` ago;
 * - `minRiskScore`: a whole number 0-100.
 *
 * @param label how to name a field in error messages (e.g. the CLI's `--resource-type`).
 * @param now the reference time of relative times, in Unix milliseconds. Default: now.
 * @throws ActivityError INVALID_QUERY naming the field and the expected form.
 */
export function parseSearchFilters(raw: RawFilterValues, label: (field: FilterField) => string = (f) => f, now: number = Date.now()): AuditSearchFilters {
  const filters: AuditSearchFilters = {};
  const one = (field: FilterField): string | undefined => {
    const value = raw[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      if (value.length > 1) throw invalidParam(label(field), value.join(','), 'a single value');
      return value[0] === undefined ? undefined : checkLength(label(field), value[0]);
    }
    return checkLength(label(field), value);
  };

  const actions = raw.action === undefined ? [] : (typeof raw.action === 'string' ? [raw.action] : raw.action).flatMap((a) => a.split(','));
  const cleaned = actions.map((a) => checkLength(label('action'), a.trim())).filter((a) => a !== '');
  if (cleaned.length === 1) filters.action = cleaned[0]!;
  else if (cleaned.length > 1) filters.action = [...new Set(cleaned)];

  for (const field of ['category', 'userId', 'resourceType', 'resourceId', 'text'] as const) {
    const value = one(field);
    if (value !== undefined && value !== '') filters[field] = value;
  }
  const level = one('level');
  if (level !== undefined) {
    const lower = level.toLowerCase();
    const normalized = LEVEL_ALIASES[lower] ?? lower;
    if (!LEVELS.includes(normalized)) throw invalidParam(label('level'), level, `one of ${LEVELS.join(', ')}`);
    filters.level = normalized;
  }
  const outcome = one('outcome');
  if (outcome !== undefined) {
    if (!OUTCOMES.includes(outcome as AuditOutcome)) throw invalidParam(label('outcome'), outcome, 'success or failure');
    filters.outcome = outcome as AuditOutcome;
  }
  const from = one('from');
  if (from !== undefined) filters.from = parseTime(label('from'), from, now);
  const to = one('to');
  if (to !== undefined) filters.to = parseTime(label('to'), to, now);
  if (filters.from && filters.to && filters.from.getTime() > filters.to.getTime()) {
    throw new ActivityError(ErrorCode.INVALID_QUERY, `otel-activity: ${label('from')} is after ${label('to')}`);
  }
  const minRisk = one('minRiskScore');
  if (minRisk !== undefined) filters.minRiskScore = parseIntegerParam(label('minRiskScore'), minRisk, 0, 100);
  return filters;
}

/**
 * A point in time: ISO 8601 (a time without an offset is UTC), or `<n>m|h|d` meaning that
 * long before `now` (Unix milliseconds).
 *
 * @throws ActivityError INVALID_QUERY.
 */
export function parseTime(name: string, raw: string, now: number = Date.now()): Date {
  const value = raw.trim();
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MILLIS[relative[2] as keyof typeof UNIT_MILLIS]);
  const iso = ISO.exec(value);
  if (iso && validCalendar(value)) {
    // Date-only forms are UTC in JavaScript, date-times without an offset local: make both UTC.
    const withZone = value.length > 10 && iso[1] === undefined ? `${value.replace(' ', 'T')}Z` : value.replace(' ', 'T');
    const date = new Date(withZone);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw invalidParam(name, raw, 'an ISO 8601 date or time (2024-05-01, 2024-05-01T12:00:00Z) or a relative time (30m, 24h, 7d)');
}

/**
 * A whole number within `min..max` (inclusive), written in plain decimal digits.
 *
 * @throws ActivityError INVALID_QUERY.
 */
export function parseIntegerParam(name: string, raw: string, min: number, max: number): number {
  const value = raw.trim();
  const n = /^-?\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidParam(name, raw, `a whole number from ${min} to ${max}`);
  return n;
}

/** An INVALID_QUERY error naming the parameter, its value and the expected form. */
export function invalidParam(name: string, value: unknown, expected: string): ActivityError {
  const shown = typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return new ActivityError(ErrorCode.INVALID_QUERY, `otel-activity: ${name}=${JSON.stringify(shown)} is invalid: expected ${expected}`);
}

/** Date rolls 2025-02-30 over into March: check the calendar fields ourselves. */
function validCalendar(value: string): boolean {
  const [y, mo, d, h = 0, mi = 0, se = 0] = (value.match(/\d+/g) ?? []).map(Number) as number[];
  if (y === undefined || mo === undefined || d === undefined) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && se <= 59;
}

function checkLength(name: string, value: string): string {
  if (value.length > MAX_VALUE_LENGTH) throw invalidParam(name, value, `at most ${MAX_VALUE_LENGTH} characters`);
  return value;
}
