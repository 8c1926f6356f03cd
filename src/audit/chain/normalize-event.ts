import { createHash } from 'node:crypto';
import { uuidv7 } from '../../internal/uuidv7.ts';
import type { AuditEventInput, AuditOutcome } from '../AuditStore.ts';
import { cleanText } from './clean-text.ts';
import { toJsonValue, type JsonValue } from './to-json-value.ts';

/** An {@link AuditEventInput} with every field decided and safe to store and hash. */
export interface NormalizedEvent {
  eventId: string;
  tenantId: string;
  createdAt: Date;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: AuditOutcome;
  userId: string | null;
  userName: string | null;
  sessionId: string | null;
  requestId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  category: string | null;
  level: string;
  riskScore: number | null;
  durationMs: number | null;
  description: string | null;
  traceId: string | null;
  spanId: string | null;
  details: { [key: string]: JsonValue } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LEVELS = new Set(['debug', 'info', 'warn', 'error', 'fatal']);
const LEVEL_ALIASES: Record<string, string> = { warning: 'warn', critical: 'fatal', trace: 'debug' };

/**
 * Decides every field of an event, never throwing, so one odd event cannot fail a batch:
 * - `eventId`: lower-cased; a non-UUID id maps to a deterministic UUID (v8, from its
 *   sha256), so retries of it still deduplicate; a missing one gets a fresh UUIDv7;
 * - `occurredAt`: an invalid date becomes now; `tenantId`: missing = '';
 * - `level`: debug|info|warn|error|fatal (warning→warn, critical→fatal), else info;
 * - `outcome`: 'failure' or 'success'; `riskScore`: rounded, clamped to 0-100;
 * - non-finite numbers become null; text is cleaned of NUL and lone surrogates;
 * - `details`: plain JSON (see toJsonValue); a non-object is wrapped as `{ value }`.
 */
export function normalizeEvent(input: AuditEventInput): NormalizedEvent {
  const created = input.occurredAt instanceof Date ? input.occurredAt : new Date(input.occurredAt as unknown as string);
  const createdAt = Number.isNaN(created.getTime()) ? new Date() : created;
  return {
    eventId: normalizeEventId(input.eventId, createdAt),
    tenantId: text(input.tenantId) ?? '',
    createdAt,
    action: text(input.action) || 'UNKNOWN',
    resourceType: text(input.resourceType),
    resourceId: text(input.resourceId),
    outcome: input.outcome === 'failure' ? 'failure' : 'success',
    userId: text(input.userId),
    userName: text(input.userName),
    sessionId: text(input.sessionId),
    requestId: text(input.requestId),
    ipAddress: text(input.ipAddress),
    userAgent: text(input.userAgent),
    category: text(input.category),
    level: normalizeLevel(input.level),
    riskScore: finite(input.riskScore) === null ? null : Math.min(100, Math.max(0, Math.round(input.riskScore as number))),
    durationMs: finite(input.durationMs),
    description: text(input.description),
    traceId: text(input.traceId),
    spanId: text(input.spanId),
    details: normalizeDetails(input.details),
  };
}

function normalizeEventId(id: unknown, createdAt: Date): string {
  if (typeof id !== 'string' || id === '') return uuidv7(createdAt.getTime());
  const lower = id.toLowerCase();
  if (UUID.test(lower)) return lower;
  const h = createHash('sha256').update(id).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function normalizeLevel(level: unknown): string {
  if (typeof level !== 'string') return 'info';
  const lower = level.toLowerCase();
  const mapped = LEVEL_ALIASES[lower] ?? lower;
  return LEVELS.has(mapped) ? mapped : 'info';
}

function normalizeDetails(details: unknown): { [key: string]: JsonValue } | null {
  if (details === null || details === undefined) return null;
  const json = toJsonValue(details);
  if (json === undefined || json === null) return null;
  if (typeof json === 'object' && !Array.isArray(json)) return json;
  return { value: json };
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return cleanText(typeof value === 'string' ? value : String(value));
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
