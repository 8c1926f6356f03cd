import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/**
 * Records a pipeline stage could not make safe (masking failed): outputs skip them.
 * A LogRecordProcessor cannot veto a record, so the veto travels in this set.
 */
export const droppedRecords: WeakSet<ReadWriteLogRecord> = new WeakSet();
