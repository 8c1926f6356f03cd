import type { NormalizedEvent } from '../chain/normalize-event.ts';
import { subjectDigest } from '../chain/subject-digest.ts';
import type { SqlQueryable } from '../driver/SqlDriver.ts';

interface ErasureRow {
  subject_digest: string;
  tenant_id: string | null;
  erased_at: Date | string;
}

/** Tells whether an event's user was anonymised after the event happened (in its tenant, or in all). */
export type ErasedBefore = (event: NormalizedEvent) => boolean;

const NONE: ErasedBefore = () => false;

/**
 * Looks up the anonymisations (`activity_log_erasures`) of the users in `events`, in
 * one query, so that an event that arrives after its user was anonymised (spooled during
 * an outage, re-sent by the collector) is stored anonymised too. No query when no event
 * has a user.
 */
export async function findErasures(tx: SqlQueryable, events: readonly NormalizedEvent[], hmacKey: Buffer): Promise<ErasedBefore> {
  const subjects = new Map<string, string>(); // user id → digest
  for (const e of events) {
    if (e.userId !== null && !subjects.has(e.userId)) subjects.set(e.userId, subjectDigest(hmacKey, e.userId));
  }
  if (subjects.size === 0) return NONE;
  const rows = await tx.query<ErasureRow>(
    'SELECT subject_digest, tenant_id, erased_at FROM activity_log_erasures WHERE subject_digest = ANY(string_to_array($1, \',\'))',
    [[...subjects.values()].join(',')],
  );
  if (rows.length === 0) return NONE;
  const erasures = new Map<string, { tenantId: string | null; erasedAt: number }[]>();
  for (const row of rows) {
    const list = erasures.get(row.subject_digest) ?? [];
    list.push({ tenantId: row.tenant_id, erasedAt: new Date(row.erased_at).getTime() });
    erasures.set(row.subject_digest, list);
  }
  return (event) => {
    if (event.userId === null) return false;
    const list = erasures.get(subjects.get(event.userId)!);
    if (list === undefined) return false;
    const at = event.createdAt.getTime();
    return list.some((x) => (x.tenantId === null || x.tenantId === event.tenantId) && at <= x.erasedAt);
  };
}
