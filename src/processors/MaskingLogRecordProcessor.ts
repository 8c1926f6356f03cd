import type { AnyValue, Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import type { Masker } from '../masking/create-masker.ts';
import { ActivityLogRecord } from '../records/ActivityLogRecord.ts';
import { droppedRecords } from './dropped-records.ts';

/**
 * Masks secrets and personal data in every attribute (at any depth) and in the
 * body, before any output sees the record. If masking itself fails the record is
 * dropped (never let through unmasked) and counted.
 */
export class MaskingLogRecordProcessor implements LogRecordProcessor {
  private readonly _masker: Masker;

  constructor(masker: Masker) {
    this._masker = masker;
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    // otel-activity's own records mask every string as they are built.
    if (logRecord instanceof ActivityLogRecord) return;
    try {
      const masker = this._masker;
      const attributes = logRecord.attributes as Record<string, AnyValue>;
      for (const key in attributes) {
        const value = attributes[key];
        const masked = masker.maskAny(value, key);
        // Written in place: a processor may modify the record during onEmit, and a
        // masked value is made from a valid one, so the SDK's re-validation and deep
        // copy (setAttribute) would only cost time.
        if (masked !== value) attributes[key] = masked;
      }
      const body = logRecord.body;
      if (body !== undefined && body !== null) {
        const masked = typeof body === 'string' ? masker.maskText(body) : masker.maskAny(body);
        if (masked !== body) logRecord.setBody(masked);
      }
    } catch (error) {
      droppedRecords.add(logRecord);
      reportError('dropped', 'masking', error);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
