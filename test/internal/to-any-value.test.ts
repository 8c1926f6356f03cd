import { describe, expect, it } from 'vitest';
import { toAnyValue } from '../../src/internal/to-any-value.ts';
import { createMasker } from '../../src/masking/create-masker.ts';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

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

  it('should mask a secret before cutting a long string, so no recognisable part of it survives', () => {
    const text = `${'x'.repeat(40)} ${JWT} ${'y'.repeat(200)}`;
    const cut = toAnyValue(text, { maxStringLength: 100 }, masker) as string;
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toContain('ey*******8U');
    expect(cut).not.toContain(JWT.slice(0, 16));
  });
});
