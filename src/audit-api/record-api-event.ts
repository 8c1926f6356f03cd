import { ActivityCategory, AuditAction } from '../constants.ts';
import { currentScope } from '../context/activity-context.ts';
import { uuidv7 } from '../internal/uuidv7.ts';
import type { AuditActor, AuditEventInput, TenantScope } from '../audit/AuditStore.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { scopeLabel } from './resolve-scope.ts';

/** The resource type of the events the API writes about its own reads. */
export const AUDIT_LOG_RESOURCE = 'audit_log';

/** What an API event says; the actor and the request come from the {@link AuditApiRequest}. */
export interface ApiEventSpec {
  /** READ, EXPORT, or the action a forbidden attempt tried. Default READ. */
  action?: string;
  resourceId?: string;
  /** Default success. */
  outcome?: 'success' | 'failure';
  /** Default data_management. */
  category?: string;
  /** Default info. */
  level?: string;
  riskScore?: number;
  /** The tenants the call read (written into the details as `scope`). */
  scope?: TenantScope;
  description: string;
  details: Record<string, unknown>;
}

/**
 * Appends one event about an API call to the same store (resource `audit_log`, actor =
 * the caller, tenant = the caller's tenant): reads and exports, failed exports and
 * forbidden attempts. When an admin reads one other tenant, that tenant's own chain gets
 * the same event too (with `callerTenant` in its details), in the same append: a tenant's
 * trail shows who read it. Rejects when the store cannot write; the callers then withhold
 * the data, so no read goes unaudited.
 */
export async function recordApiEvent(r: AuditApiRequest, spec: ApiEventSpec): Promise<void> {
  const now = Date.now();
  const details: Record<string, unknown> = { route: r.route, role: r.caller.role };
  if (spec.scope !== undefined) details.scope = scopeLabel(spec.scope);
  Object.assign(details, spec.details);
  const event: AuditEventInput = {
    eventId: uuidv7(now),
    occurredAt: new Date(now),
    action: spec.action ?? AuditAction.READ,
    resourceType: AUDIT_LOG_RESOURCE,
    resourceId: spec.resourceId ?? null,
    outcome: spec.outcome ?? 'success',
    userId: r.caller.userId ?? null,
    userName: r.caller.userName ?? null,
    tenantId: r.caller.tenantId ?? null,
    requestId: requestIdOf(r),
    ipAddress: r.req.socket?.remoteAddress ?? null,
    userAgent: headerValue(r.req.headers['user-agent']),
    category: spec.category ?? ActivityCategory.DATA_MANAGEMENT,
    level: spec.level ?? 'info',
    riskScore: spec.riskScore ?? null,
    description: spec.description,
    details,
  };
  const events = [event];
  const readTenant = spec.scope !== undefined && 'tenantId' in spec.scope ? spec.scope.tenantId : undefined;
  if (readTenant !== undefined && readTenant !== (r.caller.tenantId ?? null)) {
    events.push({ ...event, eventId: uuidv7(now), tenantId: readTenant, details: { ...details, callerTenant: r.caller.tenantId ?? null } });
  }
  await r.store.append(events);
}

/** The caller as the actor of a purge or anonymisation (which the store audits itself). */
export function actorOf(r: AuditApiRequest): AuditActor {
  const actor: AuditActor = {};
  if (r.caller.userId) actor.userId = r.caller.userId;
  if (r.caller.tenantId) actor.tenantId = r.caller.tenantId;
  const requestId = requestIdOf(r);
  if (requestId !== null) actor.requestId = requestId;
  if (r.req.socket?.remoteAddress) actor.ipAddress = r.req.socket.remoteAddress;
  return actor;
}

/** The request id the instrumentation bound (it also echoes it), else the `x-request-id` header. */
function requestIdOf(r: AuditApiRequest): string | null {
  const bound = currentScope()?.requestId;
  if (bound) return bound;
  const header = headerValue(r.req.headers['x-request-id']);
  return header === null ? null : header.slice(0, 128);
}

function headerValue(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? null : v.slice(0, 512);
}
