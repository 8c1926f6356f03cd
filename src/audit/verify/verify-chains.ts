import type { ChainBreakReason, ChainHead, ProgressCallback, TenantScope, TenantVerifyResult, VerifyResult } from '../AuditStore.ts';
import type { SqlQueryable } from '../driver/SqlDriver.ts';
import { GENESIS_HASH, rowHash, userDigest } from '../chain/row-hash.ts';
import type { JsonValue } from '../chain/to-json-value.ts';
import { EVENT_COLUMNS, type EventRow } from '../read/event-row.ts';
import { scopeTenantId } from '../read/filter-clause.ts';
import { readChainHeads } from '../read/read-chain-heads.ts';

/** Rows fetched per query while walking a chain. */
const VERIFY_BATCH_ROWS = 2000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

interface PurgedRange {
  toSeq: number;
  prevHash: string;
  lastHash: string;
}

type Break = NonNullable<TenantVerifyResult['firstBroken']>;

/**
 * Walks each tenant's chain in the scope in seq order, in batches, and reports the first
 * row where it does not hold: a seq that is missing or repeated (`sequence_gap`; a purged
 * range recorded by retention is bridged instead), a `prev_hash` that is not the previous
 * row's hash (`prev_hash_mismatch`), content that no longer hashes to `hash`
 * (`hash_mismatch`), or personal fields that no longer match their keyed digest
 * (`user_digest_mismatch`). Only rows up to the head read at the start are walked, so
 * concurrent appends do not show up as breaks.
 */
export async function verifyChains(
  db: SqlQueryable,
  hmacKey: Buffer,
  scope: TenantScope,
  onProgress?: ProgressCallback,
): Promise<VerifyResult> {
  const tenant = scopeTenantId(scope);
  const heads = await readChainHeads(db, tenant);
  if (tenant !== undefined && heads.length === 0) {
    return { ok: true, tenants: [{ tenantId: tenant, rows: 0, ok: true, head: null }] };
  }
  const total = heads.reduce((sum, h) => sum + h.seq, 0);
  let done = 0;
  const tenants: TenantVerifyResult[] = [];
  for (const head of heads) {
    const result = await verifyTenant(db, hmacKey, head, (n) => {
      done += n;
      onProgress?.(done, Math.max(done, total));
    });
    tenants.push(result);
  }
  return { ok: tenants.every((t) => t.ok), tenants };
}

async function verifyTenant(db: SqlQueryable, hmacKey: Buffer, head: ChainHead, progress: (rows: number) => void): Promise<TenantVerifyResult> {
  let ranges = await loadPurgedRanges(db, head.tenantId);
  let reloaded = false;
  let expected = 1;
  let prev = GENESIS_HASH;
  let rows = 0;
  let lastEventId: string | null = null;
  const result = (firstBroken?: Break): TenantVerifyResult =>
    firstBroken ? { tenantId: head.tenantId, rows, ok: false, head, firstBroken } : { tenantId: head.tenantId, rows, ok: true, head };

  // Skips purged ranges starting at `expected` whose first prev_hash links to `prev`.
  const bridge = async (upTo: number): Promise<Break | undefined> => {
    while (expected < upTo) {
      let range = ranges.get(expected);
      if (!range && !reloaded) {
        ranges = await loadPurgedRanges(db, head.tenantId); // a purge may have run meanwhile
        reloaded = true;
        range = ranges.get(expected);
      }
      if (!range) return undefined;
      if (range.prevHash !== prev) return { seq: expected, eventId: null, reason: 'prev_hash_mismatch' };
      expected = range.toSeq + 1;
      prev = range.lastHash;
    }
    return undefined;
  };

  let after = { seq: 0, eventId: NIL_UUID };
  for (;;) {
    const batch = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM activity_log
        WHERE tenant_id = $1 AND seq <= $2 AND (seq, event_id) > ($3, $4::uuid)
        ORDER BY seq, event_id LIMIT ${VERIFY_BATCH_ROWS}`,
      [head.tenantId, head.seq, after.seq, after.eventId],
    );
    for (const row of batch) {
      const seq = Number(row.seq);
      const gap = seq > expected ? await bridge(seq) : undefined;
      if (gap) return result(gap);
      if (seq !== expected) {
        return result(seq > expected ? { seq: expected, eventId: null, reason: 'sequence_gap' } : { seq, eventId: row.event_id, reason: 'sequence_gap' });
      }
      const reason = checkRow(row, seq, prev, hmacKey);
      if (reason) return result({ seq, eventId: row.event_id, reason });
      expected = seq + 1;
      prev = row.hash;
      lastEventId = row.event_id;
      rows++;
    }
    progress(batch.length);
    if (batch.length < VERIFY_BATCH_ROWS) break;
    const last = batch[batch.length - 1]!;
    after = { seq: Number(last.seq), eventId: last.event_id };
  }
  const tail = await bridge(head.seq + 1);
  if (tail) return result(tail);
  if (expected <= head.seq) return result({ seq: expected, eventId: null, reason: 'sequence_gap' }); // rows removed at the end
  if (head.seq > 0 && prev !== head.hash) return result({ seq: head.seq, eventId: lastEventId, reason: 'hash_mismatch' });
  return result();
}

function checkRow(row: EventRow, seq: number, prev: string, hmacKey: Buffer): ChainBreakReason | undefined {
  if (row.prev_hash !== prev) return 'prev_hash_mismatch';
  const hash = rowHash(row.prev_hash, {
    tenantId: row.tenant_id,
    seq,
    eventId: row.event_id,
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    outcome: row.outcome,
    userDigest: row.user_digest,
    category: row.category,
    level: row.level,
    riskScore: row.risk_score === null ? null : Number(row.risk_score),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    description: row.description,
    traceId: row.trace_id,
    spanId: row.span_id,
    details: row.details as { [key: string]: JsonValue } | null,
  });
  if (hash !== row.hash) return 'hash_mismatch';
  const personal = { userId: row.user_id, userName: row.user_name, ipAddress: row.ip_address, userAgent: row.user_agent, sessionId: row.session_id };
  // All personal fields blank = anonymised (or never set): the digest stays as it was.
  const digest = userDigest(hmacKey, personal);
  if (digest !== null && digest !== row.user_digest) return 'user_digest_mismatch';
  return undefined;
}

async function loadPurgedRanges(db: SqlQueryable, tenantId: string): Promise<Map<number, PurgedRange>> {
  const rows = await db.query<{ from_seq: string | number; to_seq: string | number; prev_hash: string; last_hash: string }>(
    'SELECT from_seq, to_seq, prev_hash, last_hash FROM activity_log_purged WHERE tenant_id = $1',
    [tenantId],
  );
  return new Map(rows.map((r) => [Number(r.from_seq), { toSeq: Number(r.to_seq), prevHash: r.prev_hash, lastHash: r.last_hash }]));
}
