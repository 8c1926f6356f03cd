import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { recordApiEvent } from './record-api-event.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson } from './send-json.ts';

/** `GET /events/:id`: one event in the caller's scope, or 404 (also for another tenant's event). */
export async function handleGetEvent(r: AuditApiRequest): Promise<void> {
  const scope = resolveScope(r);
  const id = r.params.id!;
  const event = await r.store.get(scope, id);
  if (event === undefined) throw new AuditApiError(404, AuditApiErrorCode.NOT_FOUND, `no audit event ${JSON.stringify(id)}`);
  await recordApiEvent(r, {
    resourceId: event.eventId,
    description: `Audit event read: ${event.action}${event.resourceType ? ` ${event.resourceType}` : ''}${event.resourceId ? ` ${event.resourceId}` : ''}`,
    scope,
    details: { eventTenant: event.tenantId },
  });
  sendJson(r.res, 200, event);
}
