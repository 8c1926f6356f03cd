import type { AnyValue } from '@opentelemetry/api';

/**
 * What a narrative template sees of one record: the parts of the seed's sentence,
 * already decided (emoji or '', actor wording, time or '').
 */
export interface NarrativeView {
  /** Activity type, e.g. `api_call`. */
  readonly type: string;
  /** `INFO`, `WARN`, `ERROR`, ... */
  readonly level: string;
  /** The type's emoji, or '' when emojis are off. */
  readonly emoji: string;
  /** "User user123", "Anonymous user from 192.168.1.100", or "User" when names are hidden. */
  readonly actor: string;
  readonly description: string;
  /** UTC time of day (`14:30:25`), or '' when times are hidden. */
  readonly time: string;
  readonly result?: string;
  readonly success?: boolean;
  readonly durationMs?: number;
  /** All (masked) attributes of the record. */
  readonly attributes: Readonly<Record<string, AnyValue>>;
}

/** Renders one record as one line, without the `[LEVEL]` prefix. */
export type NarrativeTemplate = (view: NarrativeView) => string;
