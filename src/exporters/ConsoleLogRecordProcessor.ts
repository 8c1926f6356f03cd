import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { SEVERITY, levelOfSeverity } from '../internal/severity.ts';
import { toActivityJson } from './to-activity-json.ts';

export interface ConsoleLogRecordProcessorOptions {
  /** `narrative`: `[INFO] 🔌 User u1 made API call to …`; `json`: the JSON line of the file output. Default narrative. */
  mode?: 'narrative' | 'json';
  /** Where lines go. Default: process.stdout. */
  write?: (line: string) => void;
}

/** The console output: one line per record, written as the record is emitted. */
export class ConsoleLogRecordProcessor implements LogRecordProcessor {
  private readonly _json: boolean;
  private readonly _write: (line: string) => void;

  constructor(options: ConsoleLogRecordProcessorOptions = {}) {
    this._json = options.mode === 'json';
    this._write = options.write ?? ((line) => process.stdout.write(line));
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    this._write((this._json ? toActivityJson(logRecord) : narrativeLine(logRecord)) + '\n');
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** `[LEVEL] narrative`; a record that is not an activity shows its body (or event name). */
export function narrativeLine(logRecord: ReadWriteLogRecord): string {
  const level = logRecord.severityText ?? SEVERITY[levelOfSeverity(logRecord.severityNumber)].text;
  const body = logRecord.body;
  const text = typeof body === 'string' ? body : body === undefined || body === null ? (logRecord.eventName ?? '') : JSON.stringify(body);
  return `[${level}] ${text}`;
}
