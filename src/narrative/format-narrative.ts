import type { AnyValue, Attributes } from '@opentelemetry/api';
import type { ByteSink } from '../internal/ByteSink.ts';
import { ActivityFields } from '../records/ActivityFields.ts';
import { ACTIVITY_EMOJI, asString, defaultNarrativeTemplate } from './default-templates.ts';
import type { NarrativeTemplate, NarrativeView } from './narrative-view.ts';
import { type NarrativeEncoding, writeDefaultNarrative } from './write-default-narrative.ts';

export interface NarrativeOptions {
  /** Default true. */
  emojis?: boolean;
  /** Name the user (or the anonymous client's address). Default true. */
  showUser?: boolean;
  /** Append the UTC time of day. Default true. */
  showTime?: boolean;
  /** Templates by activity type; `default` replaces the template of every type not listed. */
  templates?: Readonly<Record<string, NarrativeTemplate>>;
}

/** Formats the narrative sentence of one activity record. */
export interface NarrativeFormatter {
  (attributes: Readonly<Record<string, AnyValue>>, level: string, timeMillis: number): string;
  /** The same sentence from the record's fields (how otel-activity formats its own records). */
  readonly fromFields: (fields: ActivityFields, level: string, timeMillis: number) => string;
  /**
   * Writes the same sentence in `encoding` (a JSON string, or UTF-8) into `out` and
   * returns true, when the record's type has the default template (which does not show
   * the level, so none is taken); a custom template writes nothing and returns false
   * (use `fromFields`). How the JSON lines and OTLP outputs write a narrative without
   * making its string.
   * @internal
   */
  readonly writeBytes: (out: ByteSink, fields: ActivityFields, timeMillis: number, encoding: NarrativeEncoding) => boolean;
}

/**
 * Compiles the narrative options once and returns a pure formatter: attributes of
 * the record contract (or the same as fields, `fromFields`) in, one readable
 * sentence out (the record body; the console prefixes `[LEVEL] `).
 */
export function createNarrativeFormatter(options: NarrativeOptions = {}): NarrativeFormatter {
  const emojis = options.emojis ?? true;
  const showUser = options.showUser ?? true;
  const showTime = options.showTime ?? true;
  const templates = options.templates ?? {};
  const fallback = own(templates, 'default') ?? defaultNarrativeTemplate;
  const templateOf = (type: string): NarrativeTemplate => own(templates, type) ?? fallback;
  // Formatting a time of day per record shows in profiles: do it once per second.
  let cachedSecond = -1;
  let cachedTime = '';
  const timeOfDay = (millis: number): string => {
    const second = Math.floor(millis / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedTime = new Date(second * 1000).toISOString().slice(11, 19);
    }
    return cachedTime;
  };

  const fromFields = (f: ActivityFields, level: string, timeMillis: number): string => {
    const type = asString(f.type) ?? 'custom';
    const userId = asString(f.userId);
    let actor: string;
    if (userId !== undefined) actor = showUser ? `User ${userId}` : 'User';
    else {
      const client = asString(f.clientAddress);
      actor = showUser && client !== undefined ? `Anonymous user from ${client}` : 'Anonymous user';
    }
    const view = new FieldsView(
      f,
      type,
      level,
      emojis ? (ACTIVITY_EMOJI[type] ?? ACTIVITY_EMOJI.default!) : '',
      actor,
      showTime ? timeOfDay(timeMillis) : '',
    );
    return templateOf(type)(view);
  };
  const writeBytes = (out: ByteSink, f: ActivityFields, timeMillis: number, encoding: NarrativeEncoding): boolean => {
    const type = asString(f.type) ?? 'custom';
    if (templateOf(type) !== defaultNarrativeTemplate) return false;
    writeDefaultNarrative(out, f, type, showTime ? timeOfDay(timeMillis) : '', emojis, showUser, encoding);
    return true;
  };
  const format = (attributes: Readonly<Record<string, AnyValue>>, level: string, timeMillis: number): string =>
    fromFields(ActivityFields.fromAttributes(attributes as Attributes), level, timeMillis);
  return Object.assign(format, { fromFields, writeBytes });
}

/** The view of a record's fields that templates get; the attribute map is built only if a template reads it. */
class FieldsView implements NarrativeView {
  readonly type: string;
  readonly level: string;
  readonly emoji: string;
  readonly actor: string;
  readonly description: string;
  readonly time: string;
  readonly result: string | undefined;
  readonly success: boolean | undefined;
  readonly durationMs: number | undefined;
  private readonly _fields: ActivityFields;
  private _attributes: Readonly<Record<string, AnyValue>> | undefined = undefined;

  constructor(fields: ActivityFields, type: string, level: string, emoji: string, actor: string, time: string) {
    this._fields = fields;
    this.type = type;
    this.level = level;
    this.emoji = emoji;
    this.actor = actor;
    this.description = asString(fields.description) ?? type;
    this.time = time;
    this.result = asString(fields.result);
    this.success = typeof fields.success === 'boolean' ? fields.success : undefined;
    this.durationMs = typeof fields.durationMs === 'number' ? fields.durationMs : undefined;
  }

  get attributes(): Readonly<Record<string, AnyValue>> {
    return (this._attributes ??= this._fields.toAttributes() as Readonly<Record<string, AnyValue>>);
  }
}

/** A template of the config file's table, if it has one of its own by that name (not `constructor` of its prototype). */
function own(templates: Readonly<Record<string, NarrativeTemplate>>, type: string): NarrativeTemplate | undefined {
  return Object.hasOwn(templates, type) ? templates[type] : undefined;
}
