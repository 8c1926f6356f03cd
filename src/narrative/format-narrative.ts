import type { AnyValue, Attributes } from '@opentelemetry/api';
import { ActivityFields } from '../records/ActivityFields.ts';
import { ACTIVITY_EMOJI, defaultNarrativeTemplate } from './default-templates.ts';
import type { NarrativeTemplate, NarrativeView } from './narrative-view.ts';

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
  const fallback = templates.default ?? defaultNarrativeTemplate;
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
    return (templates[type] ?? fallback)(view);
  };
  const format = (attributes: Readonly<Record<string, AnyValue>>, level: string, timeMillis: number): string =>
    fromFields(ActivityFields.fromAttributes(attributes as Attributes), level, timeMillis);
  return Object.assign(format, { fromFields });
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

function asString(value: AnyValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
