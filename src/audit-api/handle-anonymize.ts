import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { actorOf } from './record-api-event.ts';
import { requireAdmin } from './require-admin.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson } from './send-json.ts';

/** Longest user id accepted in the path, in characters. */
const MAX_USER_ID = 512;

/**
 * `POST /users/:id/anonymize` (admin only; `?tenant=` limits it to one tenant, default
 * all): GDPR erasure of the user's personal fields, keeping the activity; answers
 * `{ updated }`. The store records an ANONYMIZE event naming the user only by a keyed
 * digest, with the caller as actor.
 */
export async function handleAnonymize(r: AuditApiRequest): Promise<void> {
  requireAdmin(r, 'anonymise a user');
  const userId = r.params.id!;
  if (userId === '' || userId.length > MAX_USER_ID) {
    throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, `the user id must be 1 to ${MAX_USER_ID} characters`);
  }
  const result = await r.store.anonymize(resolveScope(r), userId, actorOf(r));
  sendJson(r.res, 200, result);
}
