import { truncate } from '../internal/truncate.ts';
import type { Masker } from '../masking/create-masker.ts';

/** Makes one text value fit for a record: masked, then cut to the length limit. */
export type TextCleaner = (text: string) => string;

/**
 * The cleaner for strings otel-activity puts on its own records. Masking comes first,
 * so a secret is never cut into a partial that the patterns no longer recognise.
 *
 * @param maxLength `ACTIVITY_MAX_VALUE_LENGTH`, in characters.
 */
export function createTextCleaner(masker: Masker, maxLength: number): TextCleaner {
  return (text) => truncate(masker.maskText(text), maxLength);
}
