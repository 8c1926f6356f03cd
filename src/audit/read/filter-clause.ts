import { ActivityError, ErrorCode } from '../../internal/errors.ts';
import type { AuditSearchFilters, TenantScope } from '../AuditStore.ts';
import type { SqlParams } from './SqlParams.ts';

/**
 * The WHERE conditions (joined with AND, never empty: `TRUE` at least) for a tenant
 * scope and search filters. The scope is always applied: a tenant-scoped caller's
 * `filters.tenantId` can only narrow, never widen (another tenant's id yields nothing).
 *
 * @throws ActivityError INVALID_QUERY for a malformed scope or filter.
 */
export function filterClause(scope: TenantScope, filters: AuditSearchFilters, params: SqlParams): string {
  const where: string[] = [];
  const scopeTenant = scopeTenantId(scope);
  if (scopeTenant !== undefined) where.push(`tenant_id = ${params.add(scopeTenant)}`);
  if (filters.tenantId !== undefined) where.push(`tenant_id = ${params.add(filters.tenantId)}`);

  if (filters.action !== undefined) {
    const actions = Array.isArray(filters.action) ? filters.action : [filters.action];
    if (actions.length === 0) where.push('FALSE');
    else where.push(`action IN (${actions.map((a) => params.add(String(a))).join(', ')})`);
  }
  const equals: [keyof AuditSearchFilters, string][] = [
    ['category', 'category'],
    ['level', 'level'],
    ['userId', 'user_id'],
    ['resourceType', 'resource_type'],
    ['resourceId', 'resource_id'],
    ['outcome', 'outcome'],
  ];
  for (const [key, column] of equals) {
    const value = filters[key];
    if (value !== undefined) where.push(`${column} = ${params.add(String(value))}`);
  }
  if (filters.from !== undefined) where.push(`created_at >= ${params.add(validDate(filters.from, 'from'))}::timestamptz`);
  if (filters.to !== undefined) where.push(`created_at < ${params.add(validDate(filters.to, 'to'))}::timestamptz`);
  if (filters.minRiskScore !== undefined) {
    if (typeof filters.minRiskScore !== 'number' || Number.isNaN(filters.minRiskScore)) {
      throw invalid(`minRiskScore must be a number, got ${String(filters.minRiskScore)}`);
    }
    where.push(`risk_score >= ${params.add(filters.minRiskScore)}`);
  }
  if (filters.text !== undefined && filters.text !== '') {
    // Wildcards in the user's text are literal: escape them for ILIKE (backslash is its escape).
    const literal = String(filters.text).replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(`description ILIKE ${params.add(`%${literal}%`)}`);
  }
  return where.length === 0 ? 'TRUE' : where.join(' AND ');
}

/** The tenant a scope is limited to, or undefined for an admin's `allTenants`. */
export function scopeTenantId(scope: TenantScope): string | undefined {
  if (scope !== null && typeof scope === 'object') {
    if ('tenantId' in scope && typeof scope.tenantId === 'string') return scope.tenantId;
    if ('allTenants' in scope && scope.allTenants === true && (scope as { tenantId?: unknown }).tenantId === undefined) return undefined;
  }
  // Anything else is a bug in the caller; reading every tenant would be the unsafe fallback.
  throw invalid('scope must be { tenantId: string } or { allTenants: true }');
}

function validDate(value: Date, name: string): string {
  const d = value instanceof Date ? value : new Date(value as unknown as string);
  if (Number.isNaN(d.getTime())) throw invalid(`${name} is not a valid date`);
  return d.toISOString();
}

/** An INVALID_QUERY error. */
export function invalid(message: string): ActivityError {
  return new ActivityError(ErrorCode.INVALID_QUERY, `otel-activity: ${message}`);
}
