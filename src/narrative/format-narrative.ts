import type { AnyValue } from '@opentelemetry/api';
import {
  ATTR_ACTIVITY_DESCRIPTION,
  ATTR_ACTIVITY_DURATION_MS,
  ATTR_ACTIVITY_RESULT,
  ATTR_ACTIVITY_SUCCESS,
  ATTR_ACTIVITY_TYPE,
  ATTR_CLIENT_ADDRESS,
  ATTR_USER_ID,
} from '../semconv.ts';
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
export type NarrativeFormatter = (attributes: Readonly<Record<string, AnyValue>>, level: string, timeMillis: number) => string;

/**
 * Compiles the narrative options once and returns a pure formatter: attributes of
 * the record contract in, one readable sentence out (the record body; the console
 * prefixes `[LEVEL] `).
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

  return (attributes, level, timeMillis) => {
    const type = asString(attributes[ATTR_ACTIVITY_TYPE]) ?? 'custom';
    const userId = asString(attributes[ATTR_USER_ID]);
    const client = asString(attributes[ATTR_CLIENT_ADDRESS]);
    let actor: string;
    if (userId !== undefined) actor = showUser ? `User ${userId}` : 'User';
    else actor = showUser && client !== undefined ? `Anonymous user from ${client}` : 'Anonymous user';

    const view: NarrativeView = {
      type,
      level,
      emoji: emojis ? (ACTIVITY_EMOJI[type] ?? ACTIVITY_EMOJI.default!) : '',
      actor,
      description: asString(attributes[ATTR_ACTIVITY_DESCRIPTION]) ?? type,
      time: showTime ? timeOfDay(timeMillis) : '',
      result: asString(attributes[ATTR_ACTIVITY_RESULT]),
      success: typeof attributes[ATTR_ACTIVITY_SUCCESS] === 'boolean' ? (attributes[ATTR_ACTIVITY_SUCCESS] as boolean) : undefined,
      durationMs: typeof attributes[ATTR_ACTIVITY_DURATION_MS] === 'number' ? (attributes[ATTR_ACTIVITY_DURATION_MS] as number) : undefined,
      attributes,
    };
    return (templates[type] ?? fallback)(view);
  };
}

function asString(value: AnyValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
