import type { Writable } from 'node:stream';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import type {
  AuditActor,
  AuditEvent,
  AuditEventInput,
  AuditSearchFilters,
  AuditStatistics,
  AuditStore,
  ExportManifest,
  Page,
  PageOptions,
  ProgressCallback,
  TenantScope,
  VerifyResult,
} from './AuditStore.ts';
import { normalizeEvent } from './chain/normalize-event.ts';
import { queryableFromTransaction } from './driver/queryable-from-transaction.ts';
import type { SqlDriver } from './driver/SqlDriver.ts';
import { anonymizeUser } from './maintenance/anonymize-user.ts';
import { purgeEvents } from './maintenance/purge-events.ts';
import { computeStatistics } from './read/compute-statistics.ts';
import { exportEvents } from './read/export-events.ts';
import { getEvent, searchEvents } from './read/search-events.ts';
import { PartitionKeeper } from './schema/PartitionKeeper.ts';
import { runMigrations } from './schema/run-migrations.ts';
import { verifyChains } from './verify/verify-chains.ts';
import { appendEvents } from './write/append-events.ts';

/** What {@link SqlAuditStore} is built from; `openAuditStore` assembles it. */
export interface SqlAuditStoreOptions {
  driver: SqlDriver;
  /** Key of the personal-fields digest (see loadHmacKey). */
  hmacKey: Buffer;
  /** Rows per insert statement and transaction. Default 500. */
  batchSize?: number;
}

/**
 * The {@link AuditStore} over a {@link SqlDriver}: the same SQL on PostgreSQL and PGlite.
 * Methods after `close()` reject with ActivityError AUDIT_UNAVAILABLE.
 */
export class SqlAuditStore implements AuditStore {
  readonly kind: 'postgres' | 'pglite';
  private readonly _driver: SqlDriver;
  private readonly _hmacKey: Buffer;
  private readonly _batchSize: number;
  private readonly _partitions: PartitionKeeper;
  private _closed = false;

  constructor(options: SqlAuditStoreOptions) {
    this._driver = options.driver;
    this.kind = options.driver.kind;
    this._hmacKey = options.hmacKey;
    this._batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
    this._partitions = new PartitionKeeper(options.driver);
  }

  async migrate(): Promise<void> {
    this._open();
    await runMigrations(this._driver);
    await this._partitions.ensureAround();
  }

  async schemaVersion(): Promise<number> {
    this._open();
    const rows = await this._driver.query<{ version: number }>('SELECT max(version)::int AS version FROM activity_log_migrations');
    return Number(rows[0]?.version ?? 0);
  }

  async append(events: readonly AuditEventInput[]): Promise<{ inserted: number; duplicates: number }> {
    this._open();
    const normalized = events.map(normalizeEvent);
    await this._partitions.ensureFor(normalized.map((e) => e.createdAt));
    let inserted = 0;
    let duplicates = 0;
    for (let i = 0; i < normalized.length; i += this._batchSize) {
      const batch = normalized.slice(i, i + this._batchSize);
      const outcome = await this._driver.transaction((tx) => appendEvents(tx, batch, this._hmacKey));
      inserted += outcome.inserted;
      duplicates += outcome.duplicates;
    }
    return { inserted, duplicates };
  }

  async appendInTransaction(transaction: unknown, event: AuditEventInput): Promise<void> {
    this._open();
    // No partition DDL here: it would hold a lock on activity_log until the caller commits.
    await appendEvents(queryableFromTransaction(transaction), [normalizeEvent(event)], this._hmacKey);
  }

  async get(scope: TenantScope, eventId: string): Promise<AuditEvent | undefined> {
    this._open();
    return getEvent(this._driver, scope, eventId);
  }

  trail(scope: TenantScope, userId: string, page?: PageOptions): Promise<Page<AuditEvent>> {
    return this.search(scope, { userId }, page);
  }

  history(scope: TenantScope, resourceType: string, resourceId: string, page?: PageOptions): Promise<Page<AuditEvent>> {
    return this.search(scope, { resourceType, resourceId }, page);
  }

  recent(scope: TenantScope, page?: PageOptions): Promise<Page<AuditEvent>> {
    return this.search(scope, {}, page);
  }

  async search(scope: TenantScope, filters: AuditSearchFilters, page?: PageOptions): Promise<Page<AuditEvent>> {
    this._open();
    return searchEvents(this._driver, scope, filters, page);
  }

  async statistics(scope: TenantScope, filters?: AuditSearchFilters, options?: { topUsers?: number }): Promise<AuditStatistics> {
    this._open();
    return computeStatistics(this._driver, scope, filters, options?.topUsers);
  }

  async export(
    scope: TenantScope,
    filters: AuditSearchFilters,
    options: { format: 'csv' | 'jsonl'; output: Writable; onProgress?: ProgressCallback },
  ): Promise<ExportManifest> {
    this._open();
    return exportEvents(this._driver, scope, filters, options);
  }

  async verify(scope: TenantScope, options?: { onProgress?: ProgressCallback }): Promise<VerifyResult> {
    this._open();
    return verifyChains(this._driver, this._hmacKey, scope, options?.onProgress);
  }

  async purge(options: { olderThanDays: number; actor?: AuditActor; onProgress?: ProgressCallback }): Promise<{ deleted: number; droppedPartitions: string[] }> {
    this._open();
    const result = await purgeEvents(this._driver, this._hmacKey, options);
    if (result.droppedPartitions.length > 0) {
      this._partitions.forget();
      await this._partitions.ensureAround();
    }
    return result;
  }

  async anonymize(scope: TenantScope, userId: string, actor?: AuditActor): Promise<{ updated: number }> {
    this._open();
    return anonymizeUser(this._driver, this._hmacKey, scope, userId, actor);
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    await this._driver.close();
  }

  private _open(): void {
    if (this._closed) throw new ActivityError(ErrorCode.AUDIT_UNAVAILABLE, 'otel-activity: the audit store is closed');
  }
}
