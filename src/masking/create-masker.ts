import type { AnyValue } from '@opentelemetry/api';
import { setOwnProperty } from '../internal/set-own-property.ts';
import { isLuhnValid } from './luhn.ts';
import { MASK, maskValue } from './mask-value.ts';
import { createSensitiveKeyMatcher } from './sensitive-key-matcher.ts';

export interface MaskerOptions {
  /** More sensitive keys (word terms or regular expressions). */
  keys?: readonly (string | RegExp)[];
  /** More value patterns (global regular expressions) masked wherever they appear. */
  patterns?: readonly RegExp[];
}

/** Masks secrets in keys, values and free text. Compiled once; every method is pure. */
export interface Masker {
  isSensitiveKey(key: string): boolean;
  /**
   * Masks JWTs, bearer/basic credentials, Luhn-valid card numbers, URL passwords and
   * `key=value` / `"key": "value"` pairs with a sensitive key, wherever they appear
   * in the text (query strings, headers, bodies, error messages).
   */
  maskText(text: string): string;
  /**
   * Masks an attribute value at any depth: values under sensitive keys, and secrets
   * inside any string. Returns the same reference when nothing needed masking.
   */
  maskAny(value: AnyValue, key?: string): AnyValue;
}

const MAX_DEPTH = 32;
const JWT = String.raw`\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`;
const AUTH_SCHEME = String.raw`\b([Bb]earer|[Bb]asic|[Dd]igest|[Tt]oken)\s+([A-Za-z0-9._~+/=-]{6,})`;
// Card numbers: 13-19 digits starting with a card network's first digit (2-6), optionally
// grouped by spaces or dashes; confirmed by Luhn, so order numbers rarely trip it.
const CARD_DIGITS = String.raw`[2-6](?:[ -]?\d){12,18}`;
const CARD = String.raw`\b${CARD_DIGITS}\b`;
/** The whole text is one card-shaped number: what {@link CARD} matches, from start to end. */
const WHOLE_CARD = new RegExp(`^${CARD_DIGITS}$`);
const URL_PASSWORD = String.raw`(//[^/\s:@]+:)([^/\s@]+)@`;
const KEY_VALUE = String.raw`(["']?)([A-Za-z_][\w.-]{0,63})\7(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s&,;"'}\])]+)`;

/**
 * Compiles the masking rules once.
 *
 * @see maskValue for how one secret is masked (`mypassword123` → `my*******23`).
 */
export function createMasker(options: MaskerOptions = {}): Masker {
  const isSensitiveKey = createSensitiveKeyMatcher(options.keys);
  const extraPatterns = (options.patterns ?? []).map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
  const textPattern = new RegExp(`(${JWT})|${AUTH_SCHEME}|(${CARD})|${URL_PASSWORD}|${KEY_VALUE}`, 'g');

  /**
   * A fast first look: can `text` hold anything the patterns would change? A JWT
   * (`eyJ`), an auth scheme word and whitespace, a run of 12+ digits (cards), `//…@`
   * (URL passwords), or `=`/`:` after a key that is sensitive (the regular expression
   * masks no other pairs). Most values (names, ids, paths, sentences) pass without it.
   */
  function mayHoldSecret(text: string): boolean {
    let digits = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      // Every character that can start a secret is at most 'e' (101): most letters skip the checks.
      if (c > 101) {
        digits = 0;
        continue;
      }
      if (c >= 48 && c <= 57) {
        if (++digits >= 12) return true;
        continue;
      }
      if (c === 32 || c === 45) {
        // Spaces and dashes may group card digits; a space may follow an auth scheme.
        if (c === 32 && i >= 5 && authWordBefore(text, i)) return true;
        continue;
      }
      digits = 0;
      if (c === 61 || c === 58) {
        if (isSensitiveKey(keyBefore(text, i))) return true; // = :
      } else if (c === 64) {
        if (text.lastIndexOf('//', i) >= 0) return true; // @ of user:password@host
      } else if (c === 101) {
        if (text.charCodeAt(i + 1) === 121 && text.charCodeAt(i + 2) === 74) return true; // eyJ
      } else if ((c === 9 || c === 10 || c === 13) && i >= 5 && authWordBefore(text, i)) return true;
    }
    return false;
  }

  function maskText(text: string): string {
    if (!mayHoldSecret(text)) return extraPatterns.length === 0 ? text : maskExtra(text);
    // A value that is one card-shaped number (a form's card field) needs no search.
    if (WHOLE_CARD.test(text)) return maskExtra(isLuhnValid(text) ? maskValue(text) : text);
    return maskExtra(maskMatches(text));
  }

  function maskExtra(text: string): string {
    let result = text;
    for (const p of extraPatterns) result = result.replace(p, (found) => maskValue(found));
    return result;
  }

  /** Every match of the built-in patterns in `text`, masked. */
  function maskMatches(text: string): string {
    const re = textPattern;
    re.lastIndex = 0;
    let out = '';
    let copied = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const [match, jwt, scheme, credential, card, userinfo, , quote, key, separator, value] = m;
      let replacement: string;
      if (key !== undefined) {
        const q = quote ?? '';
        if (!isSensitiveKey(key)) {
          // Not a secret itself, but its value may hold one (`next=/?token=…`, `failed: password=…`): scan on inside it.
          re.lastIndex = m.index + q.length * 2 + key.length + separator!.length;
          continue;
        }
        const first = value![0];
        const quoted = (first === '"' || first === "'") && value!.length >= 2;
        replacement = `${q}${key}${q}${separator}${quoted ? first + maskValue(value!.slice(1, -1)) + first : maskValue(value!)}`;
      } else if (jwt !== undefined) replacement = maskValue(jwt);
      else if (scheme !== undefined) replacement = match.slice(0, match.length - credential!.length) + maskValue(credential!); // the scheme and its spacing kept
      else if (card !== undefined) replacement = isLuhnValid(card) ? maskValue(card) : card;
      else if (userinfo !== undefined) replacement = `${userinfo}${MASK}@`;
      else replacement = match;
      if (replacement !== match) {
        out += text.slice(copied, m.index) + replacement;
        copied = m.index + match.length;
      }
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  function maskSecret(value: AnyValue, depth: number): AnyValue {
    if (typeof value === 'string') return maskValue(value);
    if (typeof value === 'number') return MASK;
    if (value === null || typeof value === 'boolean' || value === undefined) return value;
    if (value instanceof Uint8Array) return MASK;
    if (depth > MAX_DEPTH) return MASK;
    if (Array.isArray(value)) return value.map((v) => maskSecret(v, depth + 1));
    const out: Record<string, AnyValue> = {};
    for (const k of Object.keys(value)) setOwnProperty(out, k, maskSecret((value as Record<string, AnyValue>)[k], depth + 1));
    return out;
  }

  function maskDeep(value: AnyValue, depth: number): AnyValue {
    if (typeof value === 'string') return maskText(value);
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
    if (depth > MAX_DEPTH) return '[Truncated: too deep]';
    if (Array.isArray(value)) {
      let out: AnyValue[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const masked = maskDeep(value[i], depth + 1);
        if (masked !== value[i]) (out ??= value.slice())[i] = masked;
      }
      return out ?? value;
    }
    const map = value as Record<string, AnyValue>;
    let out: Record<string, AnyValue> | undefined;
    for (const k of Object.keys(map)) {
      const v = map[k];
      const masked = isSensitiveKey(k) ? maskSecret(v, depth + 1) : maskDeep(v, depth + 1);
      if (masked !== v) setOwnProperty((out ??= { ...map }), k, masked);
    }
    return out ?? value;
  }

  return {
    isSensitiveKey,
    maskText,
    maskAny(value: AnyValue, key?: string): AnyValue {
      return key !== undefined && isSensitiveKey(key) ? maskSecret(value, 0) : maskDeep(value, 0);
    },
  };
}

/** Whether the text before `end` ends with bearer, basic, digest or token, in any case (no slice, no regular expression). */
function authWordBefore(text: string, end: number): boolean {
  switch (text.charCodeAt(end - 1) | 0x20) {
    case 114: // r
      return endsWithLowercase(text, end, 'bearer');
    case 99: // c
      return endsWithLowercase(text, end, 'basic');
    case 116: // t
      return endsWithLowercase(text, end, 'digest');
    case 110: // n
      return endsWithLowercase(text, end, 'token');
  }
  return false;
}

/** `text` before `end` ends with `word` (lowercase ASCII), compared case-insensitively. */
function endsWithLowercase(text: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  // `| 0x20` lowercases A-Z and maps no other code unit onto a-z.
  for (let i = 0; i < word.length; i++) if ((text.charCodeAt(start + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** The key in front of a `=` or `:` at `end`, as the key-value pattern reads it (spaces and one quote skipped). */
function keyBefore(text: string, end: number): string {
  let i = end - 1;
  while (i >= 0 && text.charCodeAt(i) === 32) i--;
  const quote = text.charCodeAt(i);
  if (quote === 34 || quote === 39) i--;
  const last = i;
  while (i >= 0 && i > last - 64) {
    const c = text.charCodeAt(i);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
    if (!word) break;
    i--;
  }
  return text.slice(i + 1, last + 1);
}

/** The masker used when masking is switched off (`ACTIVITY_MASK=false`). */
export const NOOP_MASKER: Masker = Object.freeze({
  isSensitiveKey: () => false,
  maskText: (text: string) => text,
  maskAny: (value: AnyValue) => value,
});
