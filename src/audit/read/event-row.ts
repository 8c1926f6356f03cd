import type { AuditEvent, AuditOutcome } from '../AuditStore.ts';

/** The select list every read uses; ids come back as text on every driver. */
export const EVENT_COLUMNS = `event_id::text AS event_id, tenant_id, seq, created_at, action, resource_type, resource_id,
  outcome, user_id, user_name, user_digest, session_id, request_id, ip_address, user_agent, category, level,
  risk_score, duration_ms, description, trace_id, span_id, details, prev_hash, hash`;

/** A row as the drivers return it (`pg` gives bigint as a string, PGlite as a number). */
export interface EventRow {
  event_id: string;
  tenant_id: string;
  seq: string | number;
  created_at: Date | string;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: string;
  user_id: string | null;
  user_name: string | null;
  user_digest: string | null;
  session_id: string | null;
  request_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  category: string | null;
  level: string;
  risk_score: number | null;
  duration_ms: number | null;
  description: string | null;
  trace_id: string | null;
  span_id: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

/** Maps a stored row to the library's {@link AuditEvent}. */
export function rowToAuditEvent(row: EventRow): AuditEvent {
  return {
    eventId: row.event_id,
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    outcome: row.outcome as AuditOutcome,
    userId: row.user_id,
    userName: row.user_name,
    sessionId: row.session_id,
    requestId: row.request_id,
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    category: row.category,
    level: row.level,
    riskScore: row.risk_score === null ? null : Number(row.risk_score),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    description: row.description,
    traceId: row.trace_id,
    spanId: row.span_id,
    details: row.details,
    userDigest: row.user_digest,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}
