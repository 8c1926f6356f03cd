import type { NarrativeTemplate, NarrativeView } from './narrative-view.ts';

/** A value of the record contract as text: strings as they are, numbers and booleans printed. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A table keyed by activity type, with no prototype (a custom type named `constructor` finds nothing). */
function byType<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** The emoji that opens a narrative line, by activity type (the seed's, extended). */
export const ACTIVITY_EMOJI: Readonly<Record<string, string>> = byType({
  navigation: '📍',
  api_call: '🔌',
  form_submission: '📝',
  error: '❌',
  click: '👆',
  search: '🔍',
  download: '📥',
  upload: '📤',
  auth: '🔐',
  performance: '⚡',
  security: '🛡️',
  audit: '📋',
  default: '🔹',
});

/**
 * What the actor did, by activity type: the words before and after the description
 * (`made API call to '` … `'`). A click on a named page adds ` on '<page>'`; any other
 * type reads `performed <type>: '` … `'`. The string template and the byte writer
 * (write-default-narrative.ts) both read this table, so they say the same.
 */
export const PHRASES: Readonly<Record<string, readonly [before: string, after: string]>> = byType({
  navigation: ["navigated to '", "'"],
  api_call: ["made API call to '", "'"],
  form_submission: ["submitted form '", "'"],
  error: ["encountered error: '", "'"],
  click: ["clicked '", "'"],
  search: ["searched for '", "'"],
  download: ["downloaded '", "'"],
  upload: ["uploaded '", "'"],
  auth: ["performed '", "'"],
  performance: ["reported performance: '", "'"],
  security: ["triggered security event: '", "'"],
  audit: ['', ''],
});

/** The page a click's data names (`recordClick(element, page)`), if any. */
export function clickedPage(data: unknown): string | undefined {
  const page = (data as { page?: unknown } | undefined)?.page;
  return typeof page === 'string' ? page : undefined;
}

/**
 * The seed's sentence:
 * `🔌 User user123 made API call to 'GET /user-queries' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)`.
 * Parts switched off (emojis, time) leave no trace; no result means no "→ Result" part.
 */
export const defaultNarrativeTemplate: NarrativeTemplate = (v: NarrativeView): string => {
  const [before, after] = PHRASES[v.type] ?? [`performed ${v.type}: '`, "'"];
  let phrase = before + v.description + after;
  if (v.type === 'click') {
    const page = clickedPage(v.attributes['activity.data']);
    if (page !== undefined) phrase += ` on '${page}'`;
  }
  let line = v.emoji === '' ? `${v.actor} ${phrase}` : `${v.emoji} ${v.actor} ${phrase}`;
  if (v.time !== '') line += ` at ${v.time}`;
  if (v.result !== undefined || v.success !== undefined) line += ` → ${v.emoji === '' ? '' : resultMark(v.success)}Result: ${resultText(v.result, v.success)}`;
  if (v.durationMs !== undefined) line += ` (took ${formatMillis(v.durationMs)}ms)`;
  return line;
};

/** `❌ ` for a failure, else `✅ ` (with emojis on). */
export function resultMark(success: boolean | undefined): string {
  return success === false ? '❌ ' : '✅ ';
}

/** The result as given, else Failed or Success. */
export function resultText(result: string | undefined, success: boolean | undefined): string {
  return result ?? (success === false ? 'Failed' : 'Success');
}

/**
 * 45.3211 → "45.32", 12 → "12": rounded to two decimals, shown as JavaScript shows
 * numbers. Written from the integer number of hundredths, which is what the double
 * would print as, without a double-to-string conversion per record.
 */
export function formatMillis(ms: number): string {
  const hundredths = Math.round(ms * 100);
  if (!Number.isSafeInteger(hundredths) || Math.abs(hundredths) >= 1e15) return String(hundredths / 100);
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  const sign = hundredths < 0 ? '-' : '';
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${frac < 10 ? `0${frac}` : frac % 10 === 0 ? frac / 10 : frac}`;
}
