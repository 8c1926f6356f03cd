import type { Writable } from 'node:stream';

/** One audit event to append: what happened, to what, by whom, in which tenant. */
export interface AuditEventInput {
  /** UUIDv7; the idempotency key (a second append of the same id is ignored). */
  eventId: string;
  /** When it happened; becomes `created_at` (and picks the monthly partition). */
  occurredAt: Date;
  /** CREATE, READ, UPDATE, DELETE, LOGIN, LOGOUT, EXPORT, PERMISSION_CHANGE or custom. */
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  /** Default 'success'. */
  outcome?: AuditOutcome;
  userId?: string | null;
  userName?: string | null;
  /** Rows without a tenant form their own chain (tenant ''). */
  tenantId?: string | null;
  sessionId?: string | null;
  requestId?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  /** An ActivityCategory, e.g. data_management. */
  category?: string | null;
  /** debug | info | warn | error | fatal. Default info. */
  level?: string | null;
  /** 0-100. */
  riskScore?: number | null;
  /** Milliseconds. */
  durationMs?: number | null;
  /** The narrative sentence or a short description. */
  description?: string | null;
  traceId?: string | null;
  spanId?: string | null;
  /** Masked before it gets here. */
  details?: Record<string, unknown> | null;
}

export type AuditOutcome = 'success' | 'failure';

/** A stored row: the input plus its place in the tenant's hash chain. */
export interface AuditEvent {
  eventId: string;
  tenantId: string;
  /** Position in the tenant's chain, from 1, without gaps. */
  seq: number;
  createdAt: Date;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: AuditOutcome;
  /** null after anonymisation. */
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
  details: Record<string, unknown> | null;
  /**
   * HMAC-SHA256 (hex) of the personal fields (user id and name, ip address, user agent,
   * session id); the chain covers this instead of the raw values, so anonymisation keeps
   * it verifiable. null when all of them were empty.
   */
  userDigest: string | null;
  /** Hex sha256 of the previous row's hash and this row's content. */
  hash: string;
  prevHash: string;
}

/**
 * Which tenants a query may see. The HTTP API derives it from `authorize(req)`;
 * only an admin gets `allTenants`.
 */
export type TenantScope = { tenantId: string } | { allTenants: true };

export interface AuditSearchFilters {
  action?: string | string[];
  category?: string;
  level?: string;
  userId?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  minRiskScore?: number;
  /** Case-insensitive substring of the description. */
  text?: string;
  /** Narrows an allTenants scope to one tenant. */
  tenantId?: string;
}

export interface PageOptions {
  /** Default 50, at most 500. */
  limit?: number;
  /** Opaque, from a previous page's nextCursor. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface AuditStatistics {
  total: number;
  activeUsers: number;
  byAction: Record<string, number>;
  byCategory: Record<string, number>;
  byLevel: Record<string, number>;
  /** Share (0-1) of events with outcome failure or level error/fatal. */
  errorRate: number;
  topUsers: { userId: string; count: number }[];
}

export interface ChainHead {
  tenantId: string;
  seq: number;
  hash: string;
}

export type ChainBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'user_digest_mismatch';

export interface TenantVerifyResult {
  tenantId: string;
  rows: number;
  ok: boolean;
  head: ChainHead | null;
  /** The first row where the chain does not hold. */
  firstBroken?: { seq: number; eventId: string | null; reason: ChainBreakReason };
}

export interface VerifyResult {
  ok: boolean;
  tenants: TenantVerifyResult[];
}

export interface ExportManifest {
  format: 'csv' | 'jsonl';
  rows: number;
  /** Hex sha256 of exactly the bytes written to the output. */
  sha256: string;
  /** The chain heads of the exported tenants at export time, to anchor the chain elsewhere. */
  chainHeads: ChainHead[];
  createdAt: string;
  filters: AuditSearchFilters;
}

/** Progress of long operations (export, verify, purge), for a CLI progress bar. */
export type ProgressCallback = (done: number, total: number) => void;

/** Who ran a maintenance operation; written into the audit event it produces. */
export interface AuditActor {
  userId?: string;
  tenantId?: string;
  requestId?: string;
  ipAddress?: string;
}

/**
 * An append-only, tamper-evident audit table (`activity_log`) in Postgres or the
 * embedded PGlite: same schema, migrations and queries on both.
 */
export interface AuditStore {
  readonly kind: 'postgres' | 'pglite';
  /** Versioned, idempotent migrations; `openAuditStore` runs them. */
  migrate(): Promise<void>;
  /** The schema version the database records (a newer release may have migrated it past this code's). */
  schemaVersion(): Promise<number>;
  /** One multi-row insert per batch; chains rows per tenant; ignores event ids already stored. */
  append(events: readonly AuditEventInput[]): Promise<{ inserted: number; duplicates: number }>;
  /**
   * Appends inside the caller's own open transaction (a `pg` client, a postgres.js
   * transaction `sql`, or a PGlite transaction), so the business change and its audit
   * row commit or roll back together.
   */
  appendInTransaction(transaction: unknown, event: AuditEventInput): Promise<void>;
  get(scope: TenantScope, eventId: string): Promise<AuditEvent | undefined>;
  /** A user's trail, newest first. */
  trail(scope: TenantScope, userId: string, page?: PageOptions): Promise<Page<AuditEvent>>;
  /** A resource's history, newest first. */
  history(scope: TenantScope, resourceType: string, resourceId: string, page?: PageOptions): Promise<Page<AuditEvent>>;
  /** Recent events, newest first. */
  recent(scope: TenantScope, page?: PageOptions): Promise<Page<AuditEvent>>;
  search(scope: TenantScope, filters: AuditSearchFilters, page?: PageOptions): Promise<Page<AuditEvent>>;
  statistics(scope: TenantScope, filters?: AuditSearchFilters, options?: { topUsers?: number }): Promise<AuditStatistics>;
  /** Streams matching rows (oldest first) as CSV or JSON lines; the manifest describes what was written. */
  export(scope: TenantScope, filters: AuditSearchFilters, options: { format: 'csv' | 'jsonl'; output: Writable; onProgress?: ProgressCallback }): Promise<ExportManifest>;
  /** Walks each tenant's chain in the scope. */
  verify(scope: TenantScope, options?: { onProgress?: ProgressCallback }): Promise<VerifyResult>;
  /** Retention: removes events older than N days (dropping whole monthly partitions where it can); audited itself. */
  purge(options: { olderThanDays: number; actor?: AuditActor; onProgress?: ProgressCallback }): Promise<{ deleted: number; droppedPartitions: string[] }>;
  /** GDPR: removes the user's id (and name) from their rows, keeping the activity; audited itself. */
  anonymize(scope: TenantScope, userId: string, actor?: AuditActor): Promise<{ updated: number }>;
  close(): Promise<void>;
}
