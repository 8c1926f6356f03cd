import { describe, expect, it } from 'vitest';
import { RandomBytePool } from '../../src/internal/RandomBytePool.ts';

describe('RandomBytePool', () => {
  it('should hand out consecutive runs of one draw, and draw afresh when too few bytes are left', () => {
    let draws = 0;
    const pool = new RandomBytePool(10, (bytes) => {
      draws++;
      bytes.fill(draws);
    });
    expect(draws).toBe(0); // nothing is drawn before the first run is taken
    expect(pool.take(4)).toBe(0);
    expect(pool.take(4)).toBe(4);
    expect(draws).toBe(1);
    expect(pool.take(4)).toBe(0); // 2 left: a new draw
    expect(draws).toBe(2);
    expect([...pool.bytes.subarray(0, 4)]).toEqual([2, 2, 2, 2]);
    expect(pool.take(6)).toBe(4); // exactly what is left
    expect(draws).toBe(2);
  });

  it('should draw from the CSPRNG by default', () => {
    const pool = new RandomBytePool(4096);
    const at = pool.take(4096);
    expect(new Set(pool.bytes.subarray(at, at + 4096)).size).toBeGreaterThan(200);
  });
});
