import type { AuditSearchFilters, PageOptions, TenantScope } from '../audit/AuditStore.ts';
import { type FilterField, parseIntegerParam, parseSearchFilters, type RawFilterValues } from '../audit-api/parse-search-filters.ts';
import type { CliOption, CliValues } from './CliCommand.ts';

/** Flags every command accepts. */
export const GLOBAL_OPTIONS: readonly CliOption[] = [
  { name: 'database-url', type: 'string', value: 'URL', help: 'PostgreSQL URL of the audit store (default: ACTIVITY_AUDIT_DATABASE_URL, else the embedded store)' },
  { name: 'data-dir', type: 'string', value: 'DIR', help: 'embedded (PGlite) database directory (default: ACTIVITY_AUDIT_DATA_DIR, else data/audit)' },
  { name: 'json', type: 'boolean', help: 'print one JSON document instead of tables' },
  { name: 'help', type: 'boolean', short: 'h', help: 'show help' },
];

/** `--tenant`: narrows the operator's all-tenants view to one tenant. */
export const TENANT_OPTION: CliOption = { name: 'tenant', type: 'string', value: 'T', help: 'only this tenant (default: all tenants)' };

/** The search filters as flags, with the HTTP API's field each one sets. */
const FILTER_FLAGS: readonly (CliOption & { field: FilterField })[] = [
  { name: 'action', field: 'action', type: 'string', multiple: true, value: 'A', help: 'action (CREATE, UPDATE, LOGIN, ... or custom); repeat or comma-separate for several' },
  { name: 'category', field: 'category', type: 'string', value: 'C', help: 'category (authentication, data_management, security, ...)' },
  { name: 'level', field: 'level', type: 'string', value: 'L', help: 'debug | info | warn | error | fatal' },
  { name: 'user', field: 'userId', type: 'string', value: 'U', help: 'user id' },
  { name: 'resource-type', field: 'resourceType', type: 'string', value: 'T', help: 'resource type, e.g. invoice' },
  { name: 'resource-id', field: 'resourceId', type: 'string', value: 'I', help: 'resource id' },
  { name: 'outcome', field: 'outcome', type: 'string', value: 'O', help: 'success | failure' },
  { name: 'from', field: 'from', type: 'string', value: 'TIME', help: 'at or after: ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z; UTC unless an offset is given) or 30m, 24h, 7d ago' },
  { name: 'to', field: 'to', type: 'string', value: 'TIME', help: 'before (same forms as --from)' },
  { name: 'min-risk', field: 'minRiskScore', type: 'string', value: 'N', help: 'risk score at least N (0-100)' },
  { name: 'text', field: 'text', type: 'string', value: 'S', help: 'description contains S (case-insensitive)' },
];

/** The filter flags plus `--tenant`. */
export const FILTER_OPTIONS: readonly CliOption[] = [...FILTER_FLAGS.map(({ field: _field, ...o }) => o), TENANT_OPTION];

/** `--limit` and `--cursor`. */
export const PAGE_OPTIONS: readonly CliOption[] = [
  { name: 'limit', type: 'string', value: 'N', help: 'events per page, 1-500 (default 50)' },
  { name: 'cursor', type: 'string', value: 'C', help: 'the next page, as printed below the previous one' },
];

/**
 * The filters set by flags (`--tenant` included), validated exactly like the HTTP API's query parameters.
 *
 * @param except filter fields a command sets itself (trail's user).
 * @throws ActivityError INVALID_QUERY naming the flag.
 */
export function filtersFromValues(values: CliValues, except: readonly FilterField[] = []): AuditSearchFilters {
  const raw: RawFilterValues = {};
  for (const flag of FILTER_FLAGS) {
    const value = values[flag.name];
    if (value === undefined || except.includes(flag.field)) continue;
    raw[flag.field] = Array.isArray(value) ? value.map(String) : String(value);
  }
  const labels = new Map(FILTER_FLAGS.map((f) => [f.field, `--${f.name}`]));
  const filters = parseSearchFilters(raw, (field) => labels.get(field) ?? field);
  // The operator's scope is all tenants; --tenant narrows it as a filter, so manifests name it.
  if (typeof values.tenant === 'string') filters.tenantId = values.tenant;
  return filters;
}

/** The operator's view for searches, statistics and exports: every tenant (narrowed by the `--tenant` filter). */
export const ALL_TENANTS: TenantScope = Object.freeze({ allTenants: true });

/** `{ allTenants: true }`, or the one tenant named by `--tenant` (verify and anonymize, which take a scope). */
export function scopeFromValues(values: CliValues): TenantScope {
  const tenant = values.tenant;
  return typeof tenant === 'string' ? { tenantId: tenant } : { allTenants: true };
}

/** `--limit` (1-500, default 50) and `--cursor`. */
export function pageFromValues(values: CliValues): PageOptions {
  const page: PageOptions = { limit: 50 };
  if (typeof values.limit === 'string') page.limit = parseIntegerParam('--limit', values.limit, 1, 500);
  if (typeof values.cursor === 'string' && values.cursor !== '') page.cursor = values.cursor;
  return page;
}

/** An optional whole-number flag. */
export function integerFlag(values: CliValues, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? parseIntegerParam(`--${name}`, raw, min, max) : undefined;
}
