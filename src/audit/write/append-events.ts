import type { SqlQueryable } from '../driver/SqlDriver.ts';
import type { NormalizedEvent } from '../chain/normalize-event.ts';
import { GENESIS_HASH, rowHash, userDigest } from '../chain/row-hash.ts';
import { findErasures } from './find-erasures.ts';

/** What one append did. */
export interface AppendOutcome {
  inserted: number;
  /** Events skipped because their event id is already stored (or repeated in the batch). */
  duplicates: number;
}

interface HeadRow {
  tenant_id: string;
  last_seq: string | number;
  last_hash: string;
}

/** Columns written, in the order of the json_to_recordset row type below. */
const INSERT_SQL = `INSERT INTO activity_log (
    event_id, tenant_id, seq, created_at, action, resource_type, resource_id, outcome,
    user_id, user_name, user_digest, session_id, request_id, ip_address, user_agent,
    category, level, risk_score, duration_ms, description, trace_id, span_id, details, prev_hash, hash)
  SELECT event_id, tenant_id, seq, created_at, action, resource_type, resource_id, outcome,
    user_id, user_name, user_digest, session_id, request_id, ip_address, user_agent,
    category, level, risk_score, duration_ms, description, trace_id, span_id, details, prev_hash, hash
  FROM json_to_recordset($1::text::json) AS r(
    event_id uuid, tenant_id text, seq bigint, created_at timestamptz, action text, resource_type text,
    resource_id text, outcome text, user_id text, user_name text, user_digest text, session_id text,
    request_id text, ip_address text, user_agent text, category text, level text, risk_score smallint,
    duration_ms double precision, description text, trace_id text, span_id text, details jsonb,
    prev_hash text, hash text)`;

const LOCK_HEADS_SQL = `SELECT tenant_id, last_seq, last_hash FROM activity_log_chain
  WHERE tenant_id IN (SELECT json_array_elements_text($1::text::json)) ORDER BY tenant_id COLLATE "C" FOR UPDATE`;

/**
 * Appends events to their tenants' chains inside an open transaction `tx` (the store's
 * own, or the caller's). Locks the chain heads of the batch's tenants (in one order, so
 * writers do not deadlock), drops event ids already stored, assigns seq / prev_hash /
 * hash, blanks the personal columns of events whose user was anonymised since they
 * happened, writes every row with ONE insert statement (the batch travels as one JSON
 * parameter), and moves the heads. Because the id check runs under the head lock, a
 * retry after an ambiguous failure (committed, but the client saw an error) inserts
 * nothing twice.
 */
export async function appendEvents(tx: SqlQueryable, events: readonly NormalizedEvent[], hmacKey: Buffer): Promise<AppendOutcome> {
  const unique = new Map<string, NormalizedEvent>();
  for (const e of events) if (!unique.has(e.eventId)) unique.set(e.eventId, e);
  if (unique.size === 0) return { inserted: 0, duplicates: events.length };

  const tenants = [...new Set([...unique.values()].map((e) => e.tenantId))].sort();
  const heads = await lockHeads(tx, tenants);

  // A re-sent event keeps its own time (created_at), so the batch's time range bounds the
  // lookup and lets Postgres skip the other monthly partitions.
  let from = Infinity;
  let to = -Infinity;
  for (const e of unique.values()) {
    from = Math.min(from, e.createdAt.getTime());
    to = Math.max(to, e.createdAt.getTime());
  }
  const stored = await tx.query<{ id: string }>(
    `SELECT event_id::text AS id FROM activity_log
      WHERE event_id = ANY(string_to_array($1, ',')::uuid[]) AND created_at BETWEEN $2::timestamptz AND $3::timestamptz`,
    [[...unique.keys()].join(','), new Date(from).toISOString(), new Date(to).toISOString()],
  );
  for (const row of stored) unique.delete(row.id);
  const fresh = [...unique.values()];
  if (fresh.length === 0) return { inserted: 0, duplicates: events.length };

  const erasedBefore = await findErasures(tx, fresh, hmacKey);
  const rows: Record<string, unknown>[] = [];
  const digests = new Map<string, string>();
  for (const e of fresh) {
    const head = heads.get(e.tenantId)!;
    const seq = head.seq + 1;
    // The digest of the personal columns as they came: an event whose user was anonymised
    // before it arrived is stored exactly as if it had been anonymised in place.
    const digest = userDigest(hmacKey, e, digests);
    const hash = rowHash(head.hash, { ...e, seq, userDigest: digest });
    const erased = erasedBefore(e);
    rows.push({
      event_id: e.eventId,
      tenant_id: e.tenantId,
      seq,
      created_at: e.createdAt.toISOString(),
      action: e.action,
      resource_type: e.resourceType,
      resource_id: e.resourceId,
      outcome: e.outcome,
      user_id: erased ? null : e.userId,
      user_name: erased ? null : e.userName,
      user_digest: digest,
      session_id: erased ? null : e.sessionId,
      request_id: e.requestId,
      ip_address: erased ? null : e.ipAddress,
      user_agent: erased ? null : e.userAgent,
      category: e.category,
      level: e.level,
      risk_score: e.riskScore,
      duration_ms: e.durationMs,
      description: e.description,
      trace_id: e.traceId,
      span_id: e.spanId,
      details: e.details,
      prev_hash: head.hash,
      hash,
    });
    head.seq = seq;
    head.hash = hash;
  }
  await tx.query(INSERT_SQL, [JSON.stringify(rows)]);
  await tx.query(
    `UPDATE activity_log_chain AS c SET last_seq = v.last_seq, last_hash = v.last_hash, updated_at = now()
       FROM json_to_recordset($1::text::json) AS v(tenant_id text, last_seq bigint, last_hash text)
      WHERE c.tenant_id = v.tenant_id`,
    [JSON.stringify([...heads].map(([tenant, h]) => ({ tenant_id: tenant, last_seq: h.seq, last_hash: h.hash })))],
  );
  return { inserted: fresh.length, duplicates: events.length - fresh.length };
}

/** Locks (creating where missing) the chain heads of `tenants`. */
async function lockHeads(tx: SqlQueryable, tenants: string[]): Promise<Map<string, { seq: number; hash: string }>> {
  const heads = new Map<string, { seq: number; hash: string }>();
  const read = async (list: string[]) => {
    for (const r of await tx.query<HeadRow>(LOCK_HEADS_SQL, [JSON.stringify(list)])) {
      heads.set(r.tenant_id, { seq: Number(r.last_seq), hash: r.last_hash });
    }
  };
  await read(tenants);
  const missing = tenants.filter((t) => !heads.has(t));
  if (missing.length > 0) {
    await tx.query(
      `INSERT INTO activity_log_chain (tenant_id, last_seq, last_hash)
       SELECT t, 0, $2 FROM json_array_elements_text($1::text::json) AS t ON CONFLICT (tenant_id) DO NOTHING`,
      [JSON.stringify(missing), GENESIS_HASH],
    );
    await read(missing);
  }
  return heads;
}
