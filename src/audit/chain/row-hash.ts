import { createHmac, hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { JsonValue } from './to-json-value.ts';

/** `prev_hash` of a tenant's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version tag inside the hashed content, so the layout can change without ambiguity. */
const CONTENT_VERSION = 'otel-activity/1';

/** The personal columns: covered by the chain only through their keyed digest, so anonymisation can blank them. */
export interface PersonalFields {
  userId: string | null;
  userName: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  sessionId: string | null;
}

/** The columns the chain covers directly. */
export interface ChainedContent {
  tenantId: string;
  seq: number;
  eventId: string;
  createdAt: Date;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  userDigest: string | null;
  category: string | null;
  level: string;
  riskScore: number | null;
  durationMs: number | null;
  description: string | null;
  traceId: string | null;
  spanId: string | null;
  details: { [key: string]: JsonValue } | null;
}

/**
 * HMAC-SHA256 (hex) of the personal columns; null when all are null. `cache` (tuple →
 * digest) saves the HMAC for a user who appears many times in one batch.
 */
export function userDigest(key: Buffer, p: PersonalFields, cache?: Map<string, string>): string | null {
  if (p.userId === null && p.userName === null && p.ipAddress === null && p.userAgent === null && p.sessionId === null) {
    return null;
  }
  const tuple = JSON.stringify([p.userId, p.userName, p.ipAddress, p.userAgent, p.sessionId]);
  let digest = cache?.get(tuple);
  if (digest === undefined) {
    digest = createHmac('sha256', key).update(tuple).digest('hex');
    cache?.set(tuple, digest);
  }
  return digest;
}

/** Hex sha256 of `prevHash`, a newline, and the canonical JSON of the row's chained content. */
export function rowHash(prevHash: string, row: ChainedContent): string {
  // The same text canonicalJson would give for the whole array: its scalar items need no
  // key sorting, so only the details go through canonicalJson (the hot path of every append).
  const scalars = JSON.stringify([
    CONTENT_VERSION,
    row.tenantId,
    row.seq,
    row.eventId,
    row.createdAt.toISOString(),
    row.action,
    row.resourceType,
    row.resourceId,
    row.outcome,
    row.userDigest,
    row.category,
    row.level,
    row.riskScore,
    row.durationMs,
    row.description,
    row.traceId,
    row.spanId,
  ]);
  const content = `${scalars.slice(0, -1)},${row.details === null ? 'null' : canonicalJson(row.details)}]`;
  return hash('sha256', `${prevHash}\n${content}`);
}
