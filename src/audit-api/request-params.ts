import type { AuditSearchFilters } from '../audit/AuditStore.ts';
import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { FILTER_FIELDS, parseIntegerParam, parseSearchFilters, type RawFilterValues } from './parse-search-filters.ts';

/**
 * Refuses query parameters the route does not know, so a typo (`userid=`) answers 400
 * instead of silently returning unfiltered audit data.
 */
export function checkQueryNames(query: URLSearchParams, allowed: readonly string[], route: string): void {
  for (const name of new Set(query.keys())) {
    if (!allowed.includes(name)) {
      throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, `unknown query parameter ${JSON.stringify(name)} for ${route}; known: ${allowed.join(', ') || 'none'}`);
    }
  }
}

/** One value of a parameter, or undefined; repeating it is a 400. */
export function single(r: AuditApiRequest, name: string): string | undefined {
  const values = r.query.getAll(name);
  if (values.length > 1) throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, `query parameter ${name} may be given once`);
  return values[0];
}

/** The search filters of the query string (see parseSearchFilters for the accepted forms). */
export function searchFilters(r: AuditApiRequest): AuditSearchFilters {
  const raw: RawFilterValues = {};
  for (const field of FILTER_FIELDS) {
    const values = r.query.getAll(field);
    if (values.length > 0) raw[field] = values;
  }
  return parseSearchFilters(raw);
}

/** An optional whole-number parameter within `min..max`. */
export function integerParam(r: AuditApiRequest, name: string, min: number, max: number): number | undefined {
  const raw = single(r, name);
  return raw === undefined ? undefined : parseIntegerParam(name, raw, min, max);
}

/** An optional boolean flag: 1/true/yes or 0/false/no (empty = true, as in `?manifest`). */
export function flagParam(r: AuditApiRequest, name: string): boolean {
  const raw = single(r, name);
  if (raw === undefined) return false;
  const v = raw.toLowerCase();
  if (v === '' || v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, `${name}=${JSON.stringify(raw)} is invalid: expected true or false`);
}

/** The filters as plain JSON (dates as ISO strings, the searched text masked), for audit details and manifests. */
export function filtersAsJson(r: AuditApiRequest, filters: AuditSearchFilters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    if (value instanceof Date) out[key] = value.toISOString();
    else if (key === 'text' && typeof value === 'string') out[key] = r.masker.maskText(value);
    else out[key] = value;
  }
  return out;
}
