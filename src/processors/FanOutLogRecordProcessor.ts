import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { reportError } from '../internal/report-error.ts';
import { ActivityLogRecord } from '../records/ActivityLogRecord.ts';
import { droppedRecords } from './dropped-records.ts';

/** One output of the fan-out, with the records it wants. */
export interface FanOutTarget {
  /** Short name for diagnostics ("console", "file", "otlp", "audit"). */
  name: string;
  processor: LogRecordProcessor;
  /** Records below this severity number are not sent here. Default 0 (all). */
  minSeverity?: number;
  /** Extra filter, e.g. "audit records only". */
  accepts?: (logRecord: ReadWriteLogRecord) => boolean;
}

/**
 * Hands each record to every output, isolated from each other: one output that
 * throws is counted and reported, and the others still get the record. Records the
 * masking stage vetoed reach none of them.
 */
export class FanOutLogRecordProcessor implements LogRecordProcessor {
  private readonly _targets: readonly FanOutTarget[];

  constructor(targets: readonly FanOutTarget[]) {
    this._targets = targets;
  }

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    // otel-activity's own records skip masking, so only other records can have been vetoed.
    if (!(logRecord instanceof ActivityLogRecord) && droppedRecords.has(logRecord)) return;
    const severity = logRecord.severityNumber ?? 0;
    for (const target of this._targets) {
      if (severity < (target.minSeverity ?? 0)) continue;
      try {
        if (target.accepts !== undefined && !target.accepts(logRecord)) continue;
        target.processor.onEmit(logRecord, context);
      } catch (error) {
        reportError('failed', `${target.name} output`, error);
      }
    }
  }

  async forceFlush(): Promise<void> {
    await this._settle('flush', (p) => p.forceFlush());
  }

  async shutdown(): Promise<void> {
    await this._settle('shutdown', (p) => p.shutdown());
  }

  private async _settle(what: string, call: (p: LogRecordProcessor) => Promise<void>): Promise<void> {
    const results = await Promise.allSettled(this._targets.map((t) => call(t.processor)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') reportError('failed', `${this._targets[i]!.name} ${what}`, r.reason);
    });
  }
}
