import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';

/** 403 unless the caller is an admin. */
export function requireAdmin(r: AuditApiRequest, what: string): void {
  if (!r.isAdmin) throw new AuditApiError(403, AuditApiErrorCode.FORBIDDEN, `only an admin may ${what}`);
}
