import { ActivityConfigError } from '../../internal/errors.ts';
import { AuditAction, ActivityCategory } from '../../constants.ts';
import type { AuditActor, ProgressCallback } from '../AuditStore.ts';
import type { SqlDriver } from '../driver/SqlDriver.ts';
import { normalizeEvent } from '../chain/normalize-event.ts';
import { appendEvents } from '../write/append-events.ts';
import { uuidv7 } from '../../internal/uuidv7.ts';

/** Purge settings. */
export interface PurgeOptions {
  /** Events older than this many days (before now minus N × 24 h) go. 0 removes everything before now. */
  olderThanDays: number;
  actor?: AuditActor;
  onProgress?: ProgressCallback;
}

/**
 * Retention, in one transaction: `activity_log_purge(cutoff)` drops the monthly partitions
 * wholly before the cutoff, deletes older rows from the boundary and DEFAULT partitions and
 * records the purged seq ranges so the chains still verify; then a PURGE event (with the
 * actor, the cutoff and the counts) is appended to the actor's tenant chain. Either both
 * happen or neither.
 *
 * @throws ActivityConfigError when `olderThanDays` is not a number >= 0.
 */
export async function purgeEvents(
  driver: SqlDriver,
  hmacKey: Buffer,
  options: PurgeOptions,
): Promise<{ deleted: number; droppedPartitions: string[] }> {
  const days = options.olderThanDays;
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) {
    throw new ActivityConfigError('olderThanDays', days, 'a number of days >= 0');
  }
  const now = Date.now();
  const cutoff = new Date(now - days * 86_400_000);
  options.onProgress?.(0, 1);
  const result = await driver.transaction(async (tx) => {
    const [row] = await tx.query<{ deleted: string | number; dropped: string[] | string }>(
      'SELECT deleted, dropped FROM activity_log_purge($1::timestamptz)',
      [cutoff.toISOString()],
    );
    const deleted = Number(row?.deleted ?? 0);
    const droppedPartitions = parseTextArray(row?.dropped);
    const actor = options.actor ?? {};
    const event = normalizeEvent({
      eventId: uuidv7(now),
      occurredAt: new Date(now),
      action: AuditAction.PURGE,
      resourceType: 'activity_log',
      tenantId: actor.tenantId ?? null,
      userId: actor.userId ?? null,
      requestId: actor.requestId ?? null,
      ipAddress: actor.ipAddress ?? null,
      category: ActivityCategory.SYSTEM,
      level: 'info',
      description: `Retention purge: ${deleted} audit events older than ${days} days removed`,
      details: { olderThanDays: days, cutoff: cutoff.toISOString(), deleted, droppedPartitions },
    });
    await appendEvents(tx, [event], hmacKey);
    return { deleted, droppedPartitions };
  });
  options.onProgress?.(1, 1);
  return result;
}

/** `text[]` arrives parsed from `pg` and as a literal ('{a,b}') from some drivers. */
function parseTextArray(value: string[] | string | undefined | null): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string' || value === '{}' || value === '') return [];
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}
