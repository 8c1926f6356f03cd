/** What a fully masked value reads as. */
export const MASK = '****';

/** Values at least this long keep two characters at each end (the seed's `my*******23`). */
const REVEAL_EDGES_MIN_LENGTH = 12;
const MIDDLE = '*******';
const STAR = 42;

/**
 * Masks one secret value, the seed's way: `mypassword123` → `my*******23`,
 * `sk-1234567890` → `sk*******90`, `abcd` → `****`.
 *
 * The middle is a fixed seven stars, so the mask does not reveal the length; values
 * shorter than 12 characters are fully masked, so the visible ends never amount to
 * more than a third of a secret. Masking a masked value changes nothing.
 */
export function maskValue(value: string): string {
  if (isMasked(value)) return value;
  const n = value.length;
  if (n < REVEAL_EDGES_MIN_LENGTH) return MASK;
  const second = value.charCodeAt(1);
  const lastButOne = value.charCodeAt(n - 2);
  // Never split a surrogate pair: fall back to the full mask.
  if (isSurrogate(second) || isSurrogate(lastButOne)) return MASK;
  // One string made at once, rather than two slices joined twice (masking runs for every secret of every record).
  return String.fromCharCode(value.charCodeAt(0), second, STAR, STAR, STAR, STAR, STAR, STAR, STAR, lastButOne, value.charCodeAt(n - 1));
}

/** True for the output of {@link maskValue}, so that masking twice is harmless. */
export function isMasked(value: string): boolean {
  return value === MASK || (value.length === 11 && value.slice(2, 9) === MIDDLE);
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}
