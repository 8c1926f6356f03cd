import type { AnyValue, Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import type { NarrativeFormatter } from '../narrative/format-narrative.ts';
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
    const attributes = logRecord.attributes as Record<string, AnyValue>;
    if (logRecord.body !== undefined || attributes[ATTR_ACTIVITY_TYPE] === undefined) return;
    const [seconds, nanos] = logRecord.hrTime;
    let narrative: string;
    try {
      narrative = this._format(attributes, logRecord.severityText ?? 'INFO', seconds * 1000 + nanos / 1e6);
    } catch (error) {
      reportError('hookErrors', 'narrative template', error);
      narrative = String(attributes['activity.description'] ?? attributes[ATTR_ACTIVITY_TYPE]);
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
