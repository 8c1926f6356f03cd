/**
 * Built-in sensitive key terms. A key matches when a run of its words spells a term
 * (optionally plural): `userPassword`, `x-api-key`, `accessToken`, `card_number`,
 * `Set-Cookie` all match, while `className` does not match `ssn`.
 */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'api key',
  'apikey',
  'authorization',
  'cookie',
  'card number',
  'cvv',
  'cvc',
  'ssn',
  'private key',
]);

/** Cached decisions, bounded so a stream of random keys cannot grow memory without limit. */
const CACHE_LIMIT = 10_000;

/**
 * Compiles key rules once; `matches(key)` is then a cached lookup.
 *
 * @param extra more terms (strings, matched word-wise like the built-ins) or
 *   regular expressions (tested against the raw key).
 */
export function createSensitiveKeyMatcher(extra: readonly (string | RegExp)[] = []): (key: string) => boolean {
  const terms = new Set<string>();
  const patterns: RegExp[] = [];
  for (const rule of [...DEFAULT_SENSITIVE_KEYS, ...extra]) {
    if (rule instanceof RegExp) patterns.push(new RegExp(rule.source, rule.flags.replace('g', '')));
    else {
      const term = splitWords(rule).join('');
      if (term !== '') terms.add(term);
    }
  }
  const cache = new Map<string, boolean>();

  return function matches(key: string): boolean {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const result = matchesTerm(splitWords(key), terms) || patterns.some((p) => p.test(key));
    if (cache.size < CACHE_LIMIT) cache.set(key, result);
    return result;
  };
}

function matchesTerm(words: string[], terms: Set<string>): boolean {
  for (let i = 0; i < words.length; i++) {
    let run = '';
    for (let j = i; j < words.length && j < i + 4; j++) {
      run += words[j];
      if (terms.has(run) || (run.endsWith('s') && terms.has(run.slice(0, -1)))) return true;
    }
  }
  return false;
}

/** `x-API-Key` → ['x', 'api', 'key']; `accessToken` → ['access', 'token']. */
function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}
