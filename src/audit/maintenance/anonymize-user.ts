import { AuditAction, ActivityCategory } from '../../constants.ts';
import { uuidv7 } from '../../internal/uuidv7.ts';
import type { AuditActor, TenantScope } from '../AuditStore.ts';
import type { SqlDriver } from '../driver/SqlDriver.ts';
import { normalizeEvent } from '../chain/normalize-event.ts';
import { invalid, scopeTenantId } from '../read/filter-clause.ts';
import { appendEvents } from '../write/append-events.ts';
import { subjectDigest } from '../chain/subject-digest.ts';

/**
 * GDPR erasure, in one transaction: `activity_log_anonymize()` blanks user id, user name,
 * ip address, user agent and session id on the user's rows in the scope (the activity
 * itself stays, and the chain still verifies: it covers only their keyed digest); the
 * erasure is registered, so the user's earlier events that arrive later are blanked too
 * (see `appendEvents`); then an ANONYMIZE event is appended that names the subject only
 * by a keyed pseudonym.
 *
 * Not touched: free text the app wrote (description, details) that mentions the user.
 *
 * @throws ActivityError INVALID_QUERY for an empty user id or a malformed scope.
 */
export async function anonymizeUser(
  driver: SqlDriver,
  hmacKey: Buffer,
  scope: TenantScope,
  userId: string,
  actor: AuditActor = {},
): Promise<{ updated: number }> {
  if (typeof userId !== 'string' || userId === '') throw invalid('anonymize needs a user id');
  const tenant = scopeTenantId(scope);
  return driver.transaction(async (tx) => {
    const [row] = await tx.query<{ n: string | number }>('SELECT activity_log_anonymize($1, $2) AS n', [userId, tenant ?? null]);
    const updated = Number(row?.n ?? 0);
    const now = Date.now();
    const subject = subjectDigest(hmacKey, userId);
    // Events of this user that happened before now but arrive later (spooled, re-sent) are blanked on append.
    await tx.query('INSERT INTO activity_log_erasures (subject_digest, tenant_id, erased_at) VALUES ($1, $2, $3::timestamptz)', [
      subject,
      tenant ?? null,
      new Date(now).toISOString(),
    ]);
    const event = normalizeEvent({
      eventId: uuidv7(now),
      occurredAt: new Date(now),
      action: AuditAction.ANONYMIZE,
      resourceType: 'user',
      tenantId: tenant ?? actor.tenantId ?? null,
      userId: actor.userId ?? null,
      requestId: actor.requestId ?? null,
      ipAddress: actor.ipAddress ?? null,
      category: ActivityCategory.USER_MANAGEMENT,
      level: 'info',
      description: `User anonymised: personal fields removed from ${updated} audit events`,
      details: { subjectDigest: subject, updated, tenants: tenant ?? 'all' },
    });
    await appendEvents(tx, [event], hmacKey);
    return { updated };
  });
}
