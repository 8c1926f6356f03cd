import { describe, expect, it } from 'vitest';
import { GrowableByteSink } from '../../src/internal/ByteSink.ts';
import {
  MAX_NUMBER_BYTES,
  maxStringBytes,
  putHundredths,
  putNumber,
  putRememberedText,
  putString,
  RememberedText,
  writeJsonValue,
} from '../../src/exporters/json-bytes.ts';
import { formatMillis } from '../../src/narrative/default-templates.ts';

/** What JSON.stringify gives, as UTF-8 bytes: the reference every writer here must match. */
const reference = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');

function viaPutString(s: string): Buffer {
  const buf = Buffer.alloc(maxStringBytes(s));
  return buf.subarray(0, putString(buf, 0, s));
}

function viaPutNumber(n: number): Buffer {
  const buf = Buffer.alloc(MAX_NUMBER_BYTES);
  return buf.subarray(0, putNumber(buf, 0, n));
}

function viaWriteJsonValue(value: unknown): Buffer {
  const sink = new GrowableByteSink(8); // tiny, so every path has to make room as it goes
  writeJsonValue(sink, value);
  return sink.buf.subarray(0, sink.pos);
}

const STRINGS = [
  '',
  'plain',
  'exactly sixteen!',
  'quote " and backslash \\ in a longer string',
  'short "q"',
  'controls \u0000\u0001\b\f\n\r\t\u001f and DEL \u007f',
  'latin-1 é ü ß, BMP → ✅ 中文',
  '🔌 User user123 made API call to \'GET /items\' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)',
  '🔌 starts with a pair, then a "quote" the check must still see',
  'lone high \ud800 inside',
  'lone low \udc00 inside a long enough string',
  '\udbff',
  'pair at the end 😀',
  'reversed pair \udc00\ud800 here',
  'x'.repeat(10_000),
];

describe('putString', () => {
  it.each(STRINGS.map((s) => [JSON.stringify(s).slice(0, 40), s]))('should write %s exactly as JSON.stringify, in UTF-8', (_, s) => {
    expect(viaPutString(s)).toEqual(reference(s));
  });
});

describe('putRememberedText', () => {
  it('should write every string as putString does (without the quotes), repeated or not, in a buffer written over since', () => {
    const slot = new RememberedText();
    const buf = Buffer.alloc(200_000);
    // Once, then three times in a row: a value's bytes are kept at its second write and copied from its third.
    for (const s of [...STRINGS, ...STRINGS.flatMap((t) => [t, t, t]), 'plain', 'plain', 'plain', 'exactly sixteen!', 'exactly sixteen!', 'exactly sixteen!']) {
      buf.fill(0x78); // the bytes remembered must be a copy, not a view of a reused buffer
      const end = putRememberedText(buf, 3, slot, s);
      expect(Buffer.concat([Buffer.from('"'), buf.subarray(3, end), Buffer.from('"')]), s.slice(0, 40)).toEqual(reference(s));
    }
  });
});

describe('putNumber', () => {
  const NUMBERS = [0, -0, 1, -1, 7, 200, 4.958, 0.58, 0.005, -0.005, 45.32, 123456.789, 1e21, 1.5e-7, 0.1 + 0.2, 2 ** 53, 1.7e12, 1e15 + 0.5, -1e-300, Number.MAX_VALUE, Number.MIN_VALUE];
  it.each(NUMBERS.map((n) => [String(n), n]))('should write %s as JSON.stringify does', (_, n) => {
    expect(viaPutNumber(n).toString()).toBe(JSON.stringify(n));
  });

  it('should write NaN and infinities as null', () => {
    for (const n of [Number.NaN, Infinity, -Infinity]) expect(viaPutNumber(n).toString()).toBe('null');
  });

  it('should agree with JSON.stringify on many durations rounded to the microsecond', () => {
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.round(Math.random() * 10 ** (i % 9) * 1000) / 1000;
      expect(viaPutNumber(ms).toString()).toBe(JSON.stringify(ms));
    }
  });
});

describe('putHundredths', () => {
  const viaPutHundredths = (n: number) => {
    const buf = Buffer.alloc(MAX_NUMBER_BYTES);
    return buf.toString('latin1', 0, putHundredths(buf, 0, n));
  };

  it('should write what formatMillis gives, edge cases included', () => {
    const edges = [0, -0, 0.004, 0.005, 0.015, 0.1, 0.25, 45.3211, 12, 99.995, 100, 1234.5, -0.5, -45.3211, 1e13, 9.99e12, 1e15, 1e300, NaN, Infinity, -Infinity];
    for (const n of edges) expect(viaPutHundredths(n), String(n)).toBe(formatMillis(n));
  });

  it('should agree with formatMillis on many durations', () => {
    for (let i = 0; i < 20_000; i++) {
      const n = Math.random() * 10 ** Math.floor(Math.random() * 8);
      expect(viaPutHundredths(n)).toBe(formatMillis(n));
    }
  });
});

describe('writeJsonValue', () => {
  it('should write nested maps and arrays as JSON.stringify does', () => {
    const value = {
      s: STRINGS[7],
      n: 42.5,
      b: false,
      nothing: null,
      left: undefined,
      list: [1, 'two', null, undefined, { deep: ['x', { deeper: true }] }],
      '"odd key"\n': 'v',
      3: 'integer-like keys come first',
    };
    expect(viaWriteJsonValue(value)).toEqual(reference(value));
  });

  it('should write every kind of key as JSON.stringify does, the first time and again', () => {
    const value = Object.fromEntries(STRINGS.map((key, i) => [key, i]));
    expect(viaWriteJsonValue(value)).toEqual(reference(value));
    expect(viaWriteJsonValue(value)).toEqual(reference(value)); // keys now remembered
  });

  it('should keep writing keys right past the number of keys it remembers', () => {
    for (let round = 0; round < 3; round++) {
      const value = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`key-${round}-${i}`, i]));
      expect(viaWriteJsonValue(value)).toEqual(reference(value));
    }
  });

  it('should honour toJSON and write BigInts as strings instead of throwing', () => {
    expect(viaWriteJsonValue({ at: new Date(0) }).toString()).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    expect(viaWriteJsonValue({ big: 10n ** 20n }).toString()).toBe('{"big":"100000000000000000000"}');
  });

  it('should bound a cyclic value instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const text = viaWriteJsonValue(cyclic).toString();
    expect(() => JSON.parse(text)).not.toThrow();
    expect(text).toContain('[Truncated: too deep]');
  });
});
