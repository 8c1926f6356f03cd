import { describe, expect, it } from 'vitest';
import { maskValue } from '../../src/masking/mask-value.ts';

describe('maskValue', () => {
  it('should mask the seed vectors exactly', () => {
    expect(maskValue('mypassword123')).toBe('my*******23');
    expect(maskValue('sk-1234567890')).toBe('sk*******90');
    expect(maskValue('abcd')).toBe('****');
  });

  it('should not reveal the length of a secret', () => {
    expect(maskValue('a'.repeat(12))).toHaveLength(11);
    expect(maskValue('a'.repeat(500))).toHaveLength(11);
  });

  it('should mask short secrets entirely, so their visible ends never give them away', () => {
    expect(maskValue('hunter2')).toBe('****');
    expect(maskValue('12345678901')).toBe('****');
  });

  it('should leave a masked value as it is', () => {
    expect(maskValue(maskValue('mypassword123'))).toBe('my*******23');
    expect(maskValue('****')).toBe('****');
  });
});
