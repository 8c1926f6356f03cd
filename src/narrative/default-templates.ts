import type { NarrativeTemplate, NarrativeView } from './narrative-view.ts';

/** The emoji that opens a narrative line, by activity type (the seed's, extended). */
export const ACTIVITY_EMOJI: Readonly<Record<string, string>> = Object.freeze({
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

/** What the actor did, by activity type: `made API call to 'GET /items'`. */
const PHRASES: Readonly<Record<string, (d: string, v: NarrativeView) => string>> = {
  navigation: (d) => `navigated to '${d}'`,
  api_call: (d) => `made API call to '${d}'`,
  form_submission: (d) => `submitted form '${d}'`,
  error: (d) => `encountered error: '${d}'`,
  click: (d, v) => {
    const page = (v.attributes['activity.data'] as { page?: unknown } | undefined)?.page;
    return typeof page === 'string' ? `clicked '${d}' on '${page}'` : `clicked '${d}'`;
  },
  search: (d) => `searched for '${d}'`,
  download: (d) => `downloaded '${d}'`,
  upload: (d) => `uploaded '${d}'`,
  auth: (d) => `performed '${d}'`,
  performance: (d) => `reported performance: '${d}'`,
  security: (d) => `triggered security event: '${d}'`,
  audit: (d) => d,
};

/**
 * The seed's sentence:
 * `🔌 User user123 made API call to 'GET /user-queries' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)`.
 * Parts switched off (emojis, time) leave no trace; no result means no "→ Result" part.
 */
export const defaultNarrativeTemplate: NarrativeTemplate = (v: NarrativeView): string => {
  const phrase = (PHRASES[v.type] ?? ((d: string) => `performed ${v.type}: '${d}'`))(v.description, v);
  let line = v.emoji === '' ? `${v.actor} ${phrase}` : `${v.emoji} ${v.actor} ${phrase}`;
  if (v.time !== '') line += ` at ${v.time}`;
  if (v.result !== undefined || v.success !== undefined) {
    const result = v.result ?? (v.success === false ? 'Failed' : 'Success');
    const mark = v.emoji === '' ? '' : v.success === false ? '❌ ' : '✅ ';
    line += ` → ${mark}Result: ${result}`;
  }
  if (v.durationMs !== undefined) line += ` (took ${formatMillis(v.durationMs)}ms)`;
  return line;
};

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
