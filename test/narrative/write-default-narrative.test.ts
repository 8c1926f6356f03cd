import type { AnyValue, Attributes } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { GrowableByteSink } from '../../src/internal/ByteSink.ts';
import { PHRASES } from '../../src/narrative/default-templates.ts';
import { createNarrativeFormatter, type NarrativeOptions } from '../../src/narrative/format-narrative.ts';
import { JSON_STRING, type NarrativeEncoding, UTF8 } from '../../src/narrative/write-default-narrative.ts';
import { ActivityFields } from '../../src/records/ActivityFields.ts';

const time = Date.parse('2024-01-15T14:30:25.123Z');

/** What an output writes for these fields in `encoding`: the bytes, or undefined when the formatter declines. */
function written(options: NarrativeOptions, attributes: Attributes, encoding: NarrativeEncoding = JSON_STRING): Buffer | undefined {
  const sink = new GrowableByteSink(8); // small, so the writer must make room for itself
  sink.pos = 3;
  sink.buf.write('xyz');
  const wrote = createNarrativeFormatter(options).writeBytes(sink, ActivityFields.fromAttributes(attributes), time, encoding);
  const bytes = Buffer.from(sink.buf.subarray(0, sink.pos));
  expect(bytes.subarray(0, 3).toString()).toBe('xyz');
  return wrote ? bytes.subarray(3) : (expect(bytes.length).toBe(3), undefined);
}

/** The string the formatter makes, in the bytes each encoding must give: JSON.stringify's, or Node's UTF-8. */
function expected(options: NarrativeOptions, attributes: Attributes, encoding: NarrativeEncoding = JSON_STRING): Buffer {
  const sentence = createNarrativeFormatter(options).fromFields(ActivityFields.fromAttributes(attributes), 'INFO', time);
  return Buffer.from(encoding === JSON_STRING ? JSON.stringify(sentence) : sentence, 'utf8');
}

const TEXTS: AnyValue[] = [
  'GET /user-queries',
  'say "hi" \\ back',
  'tab\there, line\nbreak, bell\u0007',
  'café ✓ 日本 🎉',
  'lone \ud800 high and \udc00 low',
  'ends high \ud83d',
  'a path long enough for the native writer /items/42?x=1',
  'a long one that needs escaping: "quoted" and \\ backslash',
  '',
  42,
  true,
];

describe('writeDefaultNarrative (through NarrativeFormatter.writeBytes)', () => {
  it('should write, for every type, switch and odd text, the bytes of the sentence: as JSON.stringify gives them, and as UTF-8', () => {
    const types = [...Object.keys(PHRASES), 'report_export', 'constructor', '__proto__'];
    const switches: NarrativeOptions[] = [{}, { emojis: false }, { showUser: false }, { showTime: false }, { emojis: false, showUser: false, showTime: false }];
    const identities: Attributes[] = [{ 'user.id': 'user123' }, { 'client.address': '192.168.1.100' }, {}, { 'user.id': 7 }];
    const outcomes: Attributes[] = [
      { 'activity.result': 'HTTP 200 SUCCESS', 'activity.success': true, 'activity.duration_ms': 45.3211 },
      { 'activity.success': false },
      { 'activity.success': true },
      { 'activity.duration_ms': 1200 },
      {},
    ];
    let checked = 0;
    for (const type of types) {
      for (const options of switches) {
        for (const identity of identities) {
          for (const outcome of outcomes) {
            for (const text of TEXTS) {
              const attributes: Attributes = { 'activity.type': type, 'activity.description': text, ...identity, ...outcome };
              if (typeof text === 'string' && text !== '') attributes['activity.result'] ??= text;
              if (type === 'click') attributes['activity.data'] = { page: typeof text === 'string' ? text : '/home' };
              for (const encoding of [JSON_STRING, UTF8]) {
                // Three times in a row: the parts that repeat are kept at the second and copied from the third.
                const bytes = expected(options, attributes, encoding);
                for (let repeat = 0; repeat < 3; repeat++) expect(written(options, attributes, encoding), JSON.stringify(attributes)).toEqual(bytes);
                checked++;
              }
            }
          }
        }
      }
    }
    expect(checked).toBe(2 * 15 * 5 * 4 * 5 * TEXTS.length);
  });

  it('should write each switch right when the same sentence comes again under other switches', () => {
    const attributes: Attributes = { 'activity.type': 'api_call', 'activity.description': 'GET /', 'client.address': '127.0.0.1', 'activity.result': 'HTTP 200 SUCCESS', 'activity.success': true };
    const runs: NarrativeOptions[] = [{}, { emojis: false }, { showUser: false }, { emojis: false, showUser: false }, {}];
    for (const options of runs) {
      for (let repeat = 0; repeat < 3; repeat++) expect(written(options, attributes)?.toString(), JSON.stringify(options)).toBe(expected(options, attributes).toString());
    }
  });

  it('should print the seed sentence for an API call', () => {
    const attributes = { 'activity.type': 'api_call', 'user.id': 'user123', 'activity.description': 'GET /user-queries', 'activity.result': 'HTTP 200 SUCCESS', 'activity.success': true, 'activity.duration_ms': 45.32 };
    expect(JSON.parse(written({}, attributes)!.toString())).toBe("🔌 User user123 made API call to 'GET /user-queries' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)");
  });

  it('should leave a type with a custom template to the string (nothing written), and write the others', () => {
    const options: NarrativeOptions = { templates: { api_call: (v) => `${v.actor} called ${v.description}` } };
    expect(written(options, { 'activity.type': 'api_call', 'activity.description': 'GET /' })).toBeUndefined();
    expect(written(options, { 'activity.type': 'search', 'activity.description': 'shoes' })).toEqual(expected(options, { 'activity.type': 'search', 'activity.description': 'shoes' }));
    expect(written(options, { 'activity.type': 'api_call', 'activity.description': 'GET /' }, UTF8)).toBeUndefined();
    expect(written({ templates: { default: () => 'x' } }, { 'activity.type': 'search', 'activity.description': 'shoes' })).toBeUndefined();
  });

  it('should not take a custom type named after an Object.prototype member for a known one', () => {
    const format = createNarrativeFormatter({ showTime: false, templates: {} });
    expect(format({ 'activity.type': 'constructor', 'user.id': 'u1', 'activity.description': 'x' }, 'INFO', 0)).toBe("🔹 User u1 performed constructor: 'x'");
    expect(format({ 'activity.type': 'toString', 'user.id': 'u1', 'activity.description': 'x' }, 'INFO', 0)).toBe("🔹 User u1 performed toString: 'x'");
  });
});
