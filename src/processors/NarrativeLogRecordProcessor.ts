import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { NarrativeFormatter } from '../narrative/format-narrative.ts';
import { PendingNarrative } from '../narrative/PendingNarrative.ts';
import { ActivityLogRecord, fieldsOf } from '../records/ActivityLogRecord.ts';
import { ATTR_ACTIVITY_TYPE } from '../semconv.ts';

/**
 * Sets the body of each activity record (one with `activity.type`) to its
 * narrative sentence, built from the already masked attributes; Loki shows it as the
 * log line. A record that has a body keeps it. A throwing custom template falls back
 * to the description. On otel-activity's own records the sentence stays pending until
 * an output reads the body (see PendingNarrative).
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
    const narrative = new PendingNarrative(this._format, fields, logRecord.severityText ?? 'INFO', seconds * 1000 + nanos / 1e6);
    // otel-activity's own records keep it pending: the JSON lines and OTLP outputs write it from
    // the fields, and the string is made only if something reads the body.
    if (logRecord instanceof ActivityLogRecord) logRecord.pendingNarrative = narrative;
    else logRecord.setBody(narrative.text());
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
