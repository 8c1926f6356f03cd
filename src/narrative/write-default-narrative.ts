import {
  bytesOf,
  MAX_NUMBER_BYTES,
  maxStringBytes,
  putHundredths,
  putJsonText,
  putRememberedText,
  putRememberedUtf8,
  RememberedText,
} from '../exporters/json-bytes.ts';
import { putBytes } from '../internal/put-bytes.ts';
import { GROUP_VALUES, keepGroupBytes, RememberedGroup, rememberedGroupBytes } from '../internal/RememberedGroup.ts';
import type { ByteSink } from '../internal/ByteSink.ts';
import { putUtf8 } from '../internal/put-utf8.ts';
import type { ActivityFields } from '../records/ActivityFields.ts';
import { ACTIVITY_EMOJI, asString, clickedPage, PHRASES, resultMark, resultText } from './default-templates.ts';

/** A phrase's words before and after the description, encoded once. */
interface PhraseBytes {
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

const EMOJI = new Map(Object.entries(ACTIVITY_EMOJI).map(([type, emoji]) => [type, bytesOf(`${emoji} `)]));
const DEFAULT_EMOJI = EMOJI.get('default')!;
const PHRASE = new Map<string, PhraseBytes>(Object.entries(PHRASES).map(([type, [before, after]]) => [type, { before: bytesOf(` ${before}`), after: bytesOf(after) }]));
const USER = bytesOf('User');
const ANONYMOUS = bytesOf('Anonymous user');
const FROM = bytesOf(' from ');
const PERFORMED = bytesOf(' performed ');
const PERFORMED_AFTER = bytesOf(": '");
const QUOTE = bytesOf("'");
const ON_PAGE = bytesOf(" on '");
const AT = bytesOf(' at ');
const ARROW = bytesOf(' → ');
const MARK_SUCCESS = bytesOf(resultMark(true));
const MARK_FAILURE = bytesOf(resultMark(false));
const RESULT = bytesOf('Result: ');
const TOOK = bytesOf(' (took ');
const MS = bytesOf('ms)');
/**
 * How a sentence's text is written: escaped for a JSON string and quoted (the JSON
 * lines output), or as plain UTF-8 (an OTLP body). Each keeps the parts that often
 * repeat from record to record, remembered with their bytes.
 */
export class NarrativeEncoding {
  /** Plain UTF-8 rather than a JSON string. */
  readonly utf8: boolean;
  readonly actor = new RememberedText();
  readonly description = new RememberedText();
  readonly time = new RememberedText();
  readonly result = new RememberedText();
  /**
   * The parts of the sentence before and after its description, each written in one copy
   * while they repeat (on a busy server, the same kind of action by the same user or
   * client, and the same result within a second).
   */
  readonly subject = new RememberedGroup(4);
  readonly predicate = new RememberedGroup(6);

  constructor(utf8: boolean) {
    this.utf8 = utf8;
  }
}

/** A JSON string: quoted, escaped, UTF-8 (the bytes JSON.stringify of the sentence gives). */
export const JSON_STRING = new NarrativeEncoding(false);
/** The sentence's UTF-8 bytes (a lone surrogate becomes U+FFFD, as Node encodes it). */
export const UTF8 = new NarrativeEncoding(true);

/** Puts a part that often repeats as the encoding wants it. */
function putRemembered(buf: Buffer, p: number, slot: RememberedText, s: string, utf8: boolean): number {
  return utf8 ? putRememberedUtf8(buf, p, slot, s) : putRememberedText(buf, p, slot, s);
}

/** Puts text as the encoding wants it. */
function putText(buf: Buffer, p: number, s: string, utf8: boolean): number {
  return utf8 ? putUtf8(buf, p, s) : putJsonText(buf, p, s);
}

/** Room for every constant part of a sentence (the longest of each kind) and the quotes. */
const CONSTANT_BYTES =
  2 +
  Math.max(...[...EMOJI.values()].map((b) => b.length)) +
  ANONYMOUS.length +
  FROM.length +
  Math.max(PERFORMED.length + PERFORMED_AFTER.length, ...[...PHRASE.values()].map((b) => b.before.length + b.after.length)) +
  ON_PAGE.length +
  QUOTE.length +
  AT.length +
  ARROW.length +
  Math.max(MARK_SUCCESS.length, MARK_FAILURE.length) +
  RESULT.length +
  TOOK.length +
  MS.length;

/**
 * Writes the default template's sentence for a record (defaultNarrativeTemplate, with
 * the same switches) in `encoding`, from the fields, with no sentence string built.
 * The JSON lines and OTLP outputs write every narrative they can this way: building
 * the string and then escaping and encoding it cost about 0.8 µs a record, most of it
 * the encoding (a sentence that opens with an emoji is a two-byte string).
 *
 * @param time the time of day (`14:30:25`), or '' when times are hidden.
 */
export function writeDefaultNarrative(out: ByteSink, f: ActivityFields, type: string, time: string, emojis: boolean, showUser: boolean, encoding: NarrativeEncoding): void {
  const userId = asString(f.userId);
  const client = userId === undefined && showUser ? asString(f.clientAddress) : undefined;
  const description = asString(f.description) ?? type;
  const phrase = PHRASE.get(type);
  const page = type === 'click' ? clickedPage(f.data) : undefined;
  const result = asString(f.result);
  const success = typeof f.success === 'boolean' ? f.success : undefined;
  const millis = typeof f.durationMs === 'number' ? f.durationMs : undefined;

  out.reserve(
    CONSTANT_BYTES +
      maxStringBytes(userId ?? client ?? '') +
      maxStringBytes(description) +
      (phrase === undefined ? maxStringBytes(type) : 0) +
      (page === undefined ? 0 : maxStringBytes(page)) +
      maxStringBytes(time) +
      (result === undefined ? 16 : maxStringBytes(result)) +
      (millis === undefined ? 0 : MAX_NUMBER_BYTES),
  );
  const utf8 = encoding.utf8;
  const flags = (emojis ? 1 : 0) + (showUser ? 2 : 0);
  const V = GROUP_VALUES;
  V[0] = type;
  V[1] = userId;
  V[2] = client;
  V[3] = flags;
  // Room for the whole sentence is made above: `buf` stays the line's buffer throughout.
  const buf = out.buf;
  let p = out.pos;
  let bytes = rememberedGroupBytes(encoding.subject);
  if (bytes !== undefined) p = putBytes(buf, p, bytes);
  else {
    p = writeSubject(buf, p, type, userId, client, phrase, emojis, showUser, utf8, encoding);
    keepGroupBytes(encoding.subject, out, buf, out.pos, p);
  }
  p = putRemembered(buf, p, encoding.description, description, utf8);
  V[0] = type;
  V[1] = page;
  V[2] = time;
  V[3] = result;
  V[4] = success;
  V[5] = flags;
  bytes = rememberedGroupBytes(encoding.predicate);
  if (bytes !== undefined) p = putBytes(buf, p, bytes);
  else {
    const from = p;
    p = writePredicate(buf, p, phrase, page, time, result, success, emojis, utf8, encoding);
    keepGroupBytes(encoding.predicate, out, buf, from, p);
  }
  if (millis !== undefined) {
    p = putBytes(buf, p, TOOK);
    p = putHundredths(buf, p, millis); // ASCII: the same bytes in both encodings
    p = putBytes(buf, p, MS);
  }
  if (!utf8) buf[p++] = 34;
  out.pos = p;
}

/** The sentence before its description: the opening quote of a JSON string, emoji, who, and the verb. */
function writeSubject(
  buf: Buffer,
  p: number,
  type: string,
  userId: string | undefined,
  client: string | undefined,
  phrase: PhraseBytes | undefined,
  emojis: boolean,
  showUser: boolean,
  utf8: boolean,
  encoding: NarrativeEncoding,
): number {
  if (!utf8) buf[p++] = 34;
  if (emojis) p = putBytes(buf, p, EMOJI.get(type) ?? DEFAULT_EMOJI);
  if (userId !== undefined) {
    p = putBytes(buf, p, USER);
    if (showUser) {
      buf[p++] = 32;
      p = putRemembered(buf, p, encoding.actor, userId, utf8);
    }
  } else {
    p = putBytes(buf, p, ANONYMOUS);
    if (client !== undefined) {
      p = putBytes(buf, p, FROM);
      p = putRemembered(buf, p, encoding.actor, client, utf8);
    }
  }
  if (phrase !== undefined) return putBytes(buf, p, phrase.before);
  p = putBytes(buf, p, PERFORMED);
  p = putText(buf, p, type, utf8);
  return putBytes(buf, p, PERFORMED_AFTER);
}

/** The sentence after its description, up to the duration: page, time, result. */
function writePredicate(
  buf: Buffer,
  p: number,
  phrase: PhraseBytes | undefined,
  page: string | undefined,
  time: string,
  result: string | undefined,
  success: boolean | undefined,
  emojis: boolean,
  utf8: boolean,
  encoding: NarrativeEncoding,
): number {
  p = putBytes(buf, p, phrase !== undefined ? phrase.after : QUOTE);
  if (page !== undefined) {
    p = putBytes(buf, p, ON_PAGE);
    p = putText(buf, p, page, utf8);
    p = putBytes(buf, p, QUOTE);
  }
  if (time !== '') {
    p = putBytes(buf, p, AT);
    p = putRemembered(buf, p, encoding.time, time, utf8);
  }
  if (result !== undefined || success !== undefined) {
    p = putBytes(buf, p, ARROW);
    if (emojis) p = putBytes(buf, p, success === false ? MARK_FAILURE : MARK_SUCCESS);
    p = putBytes(buf, p, RESULT);
    p = putRemembered(buf, p, encoding.result, resultText(result, success), utf8);
  }
  return p;
}
