import type { ByteSink } from '../internal/ByteSink.ts';
import { reportError } from '../internal/report-error.ts';
import type { ActivityFields } from '../records/ActivityFields.ts';
import type { NarrativeFormatter } from './format-narrative.ts';
import type { NarrativeEncoding } from './write-default-narrative.ts';

/**
 * The narrative of one of otel-activity's own records, not yet made into a string:
 * the formatter and what it reads (the fields, the level and time of the moment the
 * narrative processor saw the record). Outputs that write bytes write it from the
 * fields; the string is made when something reads the record's body.
 */
export class PendingNarrative {
  private readonly _format: NarrativeFormatter;
  private readonly _fields: ActivityFields;
  private readonly _level: string;
  private readonly _timeMillis: number;

  constructor(format: NarrativeFormatter, fields: ActivityFields, level: string, timeMillis: number) {
    this._format = format;
    this._fields = fields;
    this._level = level;
    this._timeMillis = timeMillis;
  }

  /** The sentence; a custom template that throws gives the description instead (and is reported). */
  text(): string {
    try {
      return this._format.fromFields(this._fields, this._level, this._timeMillis);
    } catch (error) {
      reportError('hookErrors', 'narrative template', error);
      return String(this._fields.description ?? this._fields.type);
    }
  }

  /** Writes the sentence in `encoding` into `out`; false (nothing written) when a custom template makes it: use {@link text}. */
  write(out: ByteSink, encoding: NarrativeEncoding): boolean {
    return this._format.writeBytes(out, this._fields, this._timeMillis, encoding);
  }
}
