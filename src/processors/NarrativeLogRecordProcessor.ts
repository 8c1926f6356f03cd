import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import type { NarrativeFormatter } from '../narrative/format-narrative.ts';
import { ActivityLogRecord, fieldsOf } from '../records/ActivityLogRecord.ts';
import { ATTR_ACTIVITY_TYPE } from '../semconv.ts';

/**
 * Sets the body of each activity record (one with `activity.type`) to its
 * narrative sentence, built from the already masked attributes; Loki shows it as the
 * log line. A record that has a body keeps it. A throwing custom template falls back
 * to the description.
 */
export class NarrativeLogRecordProcessor implements LogRecordProcessor {
  private readonly _format: NarrativeFormatter;

  constructor(format: NarrativeFormatter) {
    this._format = format;
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    if (logRecord.body !== undefined) return;
    // Other code's records are looked at (and copied into fields) only if they are activities.
    if (!(logRecord instanceof ActivityLogRecord) && logRecord.attributes[ATTR_ACTIVITY_TYPE] === undefined) return;
    const fields = fieldsOf(logRecord);
    if (fields.type === undefined) return;
    const [seconds, nanos] = logRecord.hrTime;
    let narrative: string;
    try {
      narrative = this._format.fromFields(fields, logRecord.severityText ?? 'INFO', seconds * 1000 + nanos / 1e6);
    } catch (error) {
      reportError('hookErrors', 'narrative template', error);
      narrative = String(fields.description ?? fields.type);
    }
    logRecord.setBody(narrative);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
