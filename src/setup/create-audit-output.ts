import { BatchLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AuditStore } from '../audit/AuditStore.ts';
import { PostgresAuditLogRecordExporter } from '../audit/PostgresAuditLogRecordExporter.ts';
import { openAuditStore, type OpenAuditStoreOptions } from '../audit/open-audit-store.ts';
import type { ResolvedAuditConfig } from '../config/options.ts';
import { countingMeterProvider } from './counting-meter-provider.ts';

/** Audit records held in memory at most while the store catches up (beyond it they are counted as dropped). */
const AUDIT_QUEUE_RECORDS = 65_536;

/** The audit output of the pipeline and the store it shares with transactional recordAudit. */
export interface AuditOutput {
  processor: LogRecordProcessor;
  exporter: PostgresAuditLogRecordExporter;
  /** Opens the store at first use. */
  store(): Promise<AuditStore>;
}

/**
 * The audit output: audit records, batched (`ACTIVITY_AUDIT_BATCH_SIZE` rows, at most
 * `ACTIVITY_AUDIT_FLUSH_MS` apart), into the audit store, which opens at the first
 * audit record so apps that never audit never start a database. The exporter spools to
 * disk while the database is unreachable.
 */
export function createAuditOutput(config: ResolvedAuditConfig, handles: OpenAuditStoreOptions = {}): AuditOutput {
  const exporter = new PostgresAuditLogRecordExporter({ config, openStore: () => openAuditStore(config, handles) });
  const processor = new BatchLogRecordProcessor({
    exporter,
    maxExportBatchSize: config.batchSize,
    scheduledDelayMillis: config.flushIntervalMillis,
    maxQueueSize: Math.max(AUDIT_QUEUE_RECORDS, config.batchSize),
    selfObsMeterProvider: countingMeterProvider('audit'),
  });
  return { processor, exporter, store: () => exporter.store() };
}
