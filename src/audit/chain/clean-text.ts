const NEEDS_CLEANING = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string Postgres accepts as text and jsonb: NUL characters and lone UTF-16 surrogates
 * become U+FFFD. Without this one bad value would fail its whole batch, forever, on retry.
 */
export function cleanText(value: string): string {
  if (!NEEDS_CLEANING.test(value)) return value;
  return value.replace(/\u0000/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}
