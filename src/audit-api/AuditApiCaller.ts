import type { IncomingMessage } from 'node:http';

/** Who is calling the audit API, as the app's `authorize` hook decides from the request. */
export interface AuditApiCaller {
  /**
   * The caller's tenant: every query is scoped to it. Required for every role but
   * `admin`; an admin without a tenant writes the audit events of its reads without one.
   */
  tenantId?: string | null;
  /** `admin` may read across tenants (`?tenant=`), purge and anonymise; any other role is pinned to its tenant. */
  role: string;
  /** Recorded as the actor of the audit events the API writes about its reads. */
  userId?: string | null;
  userName?: string | null;
}

/**
 * Authenticates the request (the app's session, token or gateway header) and returns the
 * caller, or nothing to answer 401. May be async. A hook that throws answers 500 and is
 * counted in `hookErrors`; it never grants access.
 */
export type AuditApiAuthorize = (req: IncomingMessage) => AuditApiCaller | null | undefined | Promise<AuditApiCaller | null | undefined>;

/** The role that may read across tenants, purge and anonymise. */
export const ADMIN_ROLE = 'admin';
