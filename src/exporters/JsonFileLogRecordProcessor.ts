import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { RotatingFileWriter } from './RotatingFileWriter.ts';
import { writeActivityJson } from './write-activity-json.ts';

/**
 * The JSON lines file output: records are encoded in batches, just before the
 * {@link RotatingFileWriter} writes them (`writeLater`), straight into its pending
 * bytes. Like the SDK's batch processors, it holds emitted records until then (at
 * most 128 of them, or 25 ms). A processor rather than an exporter behind
 * SimpleLogRecordProcessor, which would allocate promises for every record.
 */
export class JsonFileLogRecordProcessor implements LogRecordProcessor {
  private readonly _writer: RotatingFileWriter;

  constructor(writer: RotatingFileWriter) {
    this._writer = writer;
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    this._writer.writeLater(writeActivityJson, logRecord);
  }

  forceFlush(): Promise<void> {
    return this._writer.flush();
  }

  shutdown(): Promise<void> {
    return this._writer.close();
  }
}
