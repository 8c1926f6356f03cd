import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { RotatingFileWriter } from './RotatingFileWriter.ts';
import { writeActivityJson } from './write-activity-json.ts';

/**
 * The JSON lines file output: each record is encoded when emitted (while it is still
 * current, with no copy kept) straight into the pending bytes of a
 * {@link RotatingFileWriter}, which batches the disk writes. A processor rather than
 * an exporter behind SimpleLogRecordProcessor, which would allocate promises for every
 * record.
 */
export class JsonFileLogRecordProcessor implements LogRecordProcessor {
  private readonly _writer: RotatingFileWriter;

  constructor(writer: RotatingFileWriter) {
    this._writer = writer;
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    this._writer.writeWith(writeActivityJson, logRecord);
  }

  forceFlush(): Promise<void> {
    return this._writer.flush();
  }

  shutdown(): Promise<void> {
    return this._writer.close();
  }
}
