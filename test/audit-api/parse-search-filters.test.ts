import { describe, expect, it } from 'vitest';
import { parseIntegerParam, parseSearchFilters, parseTime } from '../../src/audit-api/parse-search-filters.ts';
import { ErrorCode } from '../../src/internal/errors.ts';

const NOW = Date.UTC(2025, 4, 10, 12, 0, 0);

describe('parseSearchFilters', () => {
  it('should turn every field into its typed filter', () => {
    expect(
      parseSearchFilters(
        {
          action: ['CREATE, UPDATE', 'DELETE', 'CREATE'],
          category: 'security',
          level: 'warning',
          userId: 'u1',
          resourceType: 'invoice',
          resourceId: 'inv-1',
          outcome: 'failure',
          from: '2025-05-01',
          to: '24h',
          minRiskScore: '70',
          text: 'refund',
        },
        undefined,
        NOW,
      ),
    ).toEqual({
      action: ['CREATE', 'UPDATE', 'DELETE'],
      category: 'security',
      level: 'warn',
      userId: 'u1',
      resourceType: 'invoice',
      resourceId: 'inv-1',
      outcome: 'failure',
      from: new Date('2025-05-01T00:00:00Z'),
      to: new Date(NOW - 86_400_000),
      minRiskScore: 70,
      text: 'refund',
    });
  });

  it('should leave out empty values and keep one action as a string', () => {
    expect(parseSearchFilters({ action: 'LOGIN', userId: '', text: '' })).toEqual({ action: 'LOGIN' });
  });

  it('should name the field with the caller’s label in errors', () => {
    expect(() => parseSearchFilters({ minRiskScore: '500' }, (f) => `--${f}`)).toThrow('--minRiskScore="500" is invalid: expected a whole number from 0 to 100');
    expect(() => parseSearchFilters({ level: 'loud' })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_QUERY }));
    expect(() => parseSearchFilters({ userId: ['a', 'b'] })).toThrow(/userId.*a single value/);
    expect(() => parseSearchFilters({ from: '2025-05-02', to: '2025-05-01' })).toThrow(/from is after to/);
  });
});

describe('parseTime', () => {
  it('should read date-times without an offset as UTC, and keep explicit offsets', () => {
    expect(parseTime('from', '2025-05-01T10:30', NOW).toISOString()).toBe('2025-05-01T10:30:00.000Z');
    expect(parseTime('from', '2025-05-01 10:30:15', NOW).toISOString()).toBe('2025-05-01T10:30:15.000Z');
    expect(parseTime('from', '2025-05-01T10:30:00+02:00', NOW).toISOString()).toBe('2025-05-01T08:30:00.000Z');
    expect(parseTime('from', '2025-05-01T10:30:00.123Z', NOW).toISOString()).toBe('2025-05-01T10:30:00.123Z');
  });

  it('should read 30m, 12h, 7d as that long before now', () => {
    expect(parseTime('from', '30m', NOW).getTime()).toBe(NOW - 1_800_000);
    expect(parseTime('from', '12h', NOW).getTime()).toBe(NOW - 43_200_000);
    expect(parseTime('from', '7d', NOW).getTime()).toBe(NOW - 604_800_000);
  });

  it.each(['yesterday', '2025-02-30', '2025-13-01', '1w', '', '2025-05-01T25:00Z'])('should refuse %j', (raw) => {
    expect(() => parseTime('from', raw, NOW)).toThrow(/from=.* is invalid/);
  });
});

describe('parseIntegerParam', () => {
  it('should accept plain whole numbers within the range only', () => {
    expect(parseIntegerParam('limit', '500', 1, 500)).toBe(500);
    for (const raw of ['501', '0', '1e2', '0x10', '2.0', ' ', '']) expect(() => parseIntegerParam('limit', raw, 1, 500)).toThrow(/limit/);
  });
});
