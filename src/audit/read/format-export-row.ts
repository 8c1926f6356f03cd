import type { AuditEvent } from '../AuditStore.ts';

/** CSV columns, in order: the table's column names. */
export const CSV_COLUMNS = [
  'event_id', 'tenant_id', 'seq', 'created_at', 'action', 'resource_type', 'resource_id', 'outcome',
  'user_id', 'user_name', 'user_digest', 'session_id', 'request_id', 'ip_address', 'user_agent',
  'category', 'level', 'risk_score', 'duration_ms', 'description', 'trace_id', 'span_id', 'details',
  'prev_hash', 'hash',
] as const;

/** The CSV header line (CRLF-terminated, RFC 4180). */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/**
 * One CSV record (RFC 4180: fields with a comma, quote, CR or LF, or leading/trailing
 * space are quoted, quotes doubled; null is an empty field; details are JSON). Values are
 * written exactly as stored (no spreadsheet-formula escaping), so the file can be checked
 * against the hash chain.
 */
export function csvLine(e: AuditEvent): string {
  const values: unknown[] = [
    e.eventId, e.tenantId, e.seq, e.createdAt.toISOString(), e.action, e.resourceType, e.resourceId, e.outcome,
    e.userId, e.userName, e.userDigest, e.sessionId, e.requestId, e.ipAddress, e.userAgent,
    e.category, e.level, e.riskScore, e.durationMs, e.description, e.traceId, e.spanId,
    e.details === null ? null : JSON.stringify(e.details), e.prevHash, e.hash,
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}

/** One JSON line: the {@link AuditEvent} with `createdAt` as an ISO string. */
export function jsonLine(e: AuditEvent): string {
  return `${JSON.stringify(e)}\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
