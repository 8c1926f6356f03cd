import type { TenantScope } from '../audit/AuditStore.ts';
import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { single } from './request-params.ts';

/** `?tenant=*` (or no `tenant`) means every tenant, for an admin. */
export const ALL_TENANTS = '*';

/**
 * The tenants a request may see. An admin sees every tenant, or the one named by
 * `?tenant=`; anyone else sees only their own: naming another tenant is a 403 (and the
 * attempt is audited), never a wider read.
 */
export function resolveScope(r: AuditApiRequest): TenantScope {
  const requested = single(r, 'tenant');
  if (r.isAdmin) {
    return requested === undefined || requested === ALL_TENANTS ? { allTenants: true } : { tenantId: requested };
  }
  const own = r.caller.tenantId as string; // checked when the caller was authorised
  if (requested !== undefined && requested !== own) {
    throw new AuditApiError(403, AuditApiErrorCode.FORBIDDEN, 'only an admin may read another tenant');
  }
  return { tenantId: own };
}

/** The scope as it is written into audit details: a tenant id, or `*`. */
export function scopeLabel(scope: TenantScope): string {
  return 'tenantId' in scope ? scope.tenantId : ALL_TENANTS;
}
