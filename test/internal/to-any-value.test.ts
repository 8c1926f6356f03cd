import { describe, expect, it } from 'vitest';
import { toAnyValue } from '../../src/internal/to-any-value.ts';
import { createMasker } from '../../src/masking/create-masker.ts';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('toAnyValue', () => {
  it('should keep what JSON can carry and turn the rest into readable values', () => {
    class Point {
      x = 1;
      y = 2;
    }
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const value = {
      text: 'hi',
      n: 1.5,
      nan: Number.NaN,
      big: 10n,
      yes: true,
      nothing: null,
      skipped: undefined,
      fn: () => 1,
      sym: Symbol('s'),
      when: new Date(0),
      bad: new Date(Number.NaN),
      bytes: new Uint8Array(3),
      buffer: new ArrayBuffer(5),
      pattern: /a+/g,
      err: Object.assign(new TypeError('boom'), { code: 'E_BOOM' }),
      list: [1, undefined, 'x'],
      set: new Set(['a', 'b']),
      map: new Map<unknown, unknown>([[1, 'one'], ['k', { deep: true }]]),
      point: new Point(),
      bare,
    };
    expect(toAnyValue(value)).toEqual({
      text: 'hi',
      n: 1.5,
      nan: 'NaN',
      big: '10',
      yes: true,
      nothing: null,
      when: '1970-01-01T00:00:00.000Z',
      bad: 'Invalid Date',
      bytes: '[Binary: 3 bytes]',
      buffer: '[Binary: 5 bytes]',
      pattern: '/a+/g',
      err: { type: 'TypeError', message: 'boom', code: 'E_BOOM' },
      list: [1, null, 'x'],
      set: ['a', 'b'],
      map: { 1: 'one', k: { deep: true } },
      point: { x: 1, y: 2 },
      bare: { a: 1 },
    });
  });

  it('should leave out of a plain object what JSON leaves out, reading each of its values once', () => {
    let reads = 0;
    const value = {
      kept: 1,
      skipped: undefined,
      fn: () => 1,
      [Symbol('hidden')]: 'not data',
      get counted(): string {
        reads++;
        return 'x';
      },
    };
    const out = toAnyValue(value) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['kept', 'counted']);
    expect(JSON.stringify(out)).toBe('{"kept":1,"counted":"x"}');
    expect(reads).toBe(1);
  });

  it('should bound depth, entries and string length, and say what it left out', () => {
    const deep = { a: { b: { c: { d: 'bottom' } } } };
    expect(toAnyValue(deep, { maxDepth: 3 })).toEqual({ a: { b: { c: '[Truncated: too deep]' } } });
    expect(toAnyValue([1, 2, 3, 4, 5], { maxEntries: 2 })).toEqual([1, 2, '[3 more items]']);
    expect(toAnyValue({ a: 1, b: 2, c: 3, d: 4 }, { maxEntries: 2 })).toEqual({ a: 1, b: 2, '[truncated]': '2 more keys' });
    expect(toAnyValue('x'.repeat(100), { maxStringLength: 40 })).toMatch(/^x+…\[\d+ more characters\]$/);
  });

  it('should mark cycles, but not an object seen twice side by side', () => {
    const shared = { id: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(toAnyValue(cyclic)).toEqual({ shared: { id: 1 }, again: { id: 1 }, self: '[Circular]' });
  });

  it('should never throw: an object with a throwing getter reads as unreadable, its siblings survive', () => {
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    expect(toAnyValue({ ok: 1, hostile })).toEqual({ ok: 1, hostile: '[Unreadable]' });
    const proxy = new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } });
    expect(toAnyValue({ proxy })).toEqual({ proxy: '[Unreadable]' });
  });

  it('should keep a __proto__ key (as JSON.parse gives it) as data, without changing any prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"isAdmin": true}, "name": "x"}') as unknown;
    const out = toAnyValue(parsed) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"isAdmin":true},"name":"x"}');
  });
});

describe('toAnyValue with a masker', () => {
  const masker = createMasker();

  it('should give what masking the converted value gives, in one walk', () => {
    const cyclic: Record<string, unknown> = { name: 'loop', password: 'mypassword123' };
    cyclic.self = cyclic;
    const values: unknown[] = [
      'plain',
      `Bearer ${JWT}`,
      { orderId: 'ord-1', amount: 42.5, password: 'mypassword123', card: { number: '4111111111111111', holder: 'A. User' } },
      { nested: [{ api_key: ['sk-1234567890', { deeper: 'x' }] }, 'card 4111 1111 1111 1111'], when: new Date(0), big: 10n },
      new Map<unknown, unknown>([['token', 'abcdef123456'], [7, 'password=hunter22']]),
      new Set(['authorization: Basic dXNlcjpwYXNz']),
      Object.assign(new Error(`failed with token=${JWT}`), { code: 'E_AUTH' }),
      cyclic,
    ];
    for (const value of values) {
      expect(toAnyValue(value, {}, masker)).toEqual(masker.maskAny(toAnyValue(value)));
    }
  });

  it('should keep a masked value under a __proto__ key as data', () => {
    const parsed = JSON.parse(`{"__proto__": "Bearer ${JWT}", "password": "mypassword123"}`) as unknown;
    const out = toAnyValue(parsed, {}, masker) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":"Bearer ey*******8U","password":"my*******23"}');
  });

  it('should mask a secret before cutting a long string, so no recognisable part of it survives', () => {
    const text = `${'x'.repeat(40)} ${JWT} ${'y'.repeat(200)}`;
    const cut = toAnyValue(text, { maxStringLength: 100 }, masker) as string;
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toContain('ey*******8U');
    expect(cut).not.toContain(JWT.slice(0, 16));
  });
});
