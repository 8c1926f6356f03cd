import { describe, expect, it } from 'vitest';
import { isTransientDatabaseError } from '../../collector/is-transient-database-error.ts';

describe('isTransientDatabaseError', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    [new Error('Connection terminated unexpectedly'), true],
    [Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), true],
    [Object.assign(new Error('could not serialize access'), { code: '40001' }), true],
    [Object.assign(new Error('too many connections'), { code: '53300' }), true],
    [Object.assign(new Error('permission denied for table activity_log'), { code: '42501' }), true],
    [Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }), false],
    [Object.assign(new Error('new row violates check constraint'), { code: '23514' }), false],
  ])('should classify %s as transient: %s', (err, transient) => {
    expect(isTransientDatabaseError(err)).toBe(transient);
  });
});
