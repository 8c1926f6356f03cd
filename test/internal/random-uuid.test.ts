import { describe, expect, it } from 'vitest';
import { randomUuid } from '../../src/internal/random-uuid.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuid', () => {
  // 10000 ids span several formatted batches (256 ids) and three draws of random bytes (4096 ids).
  const ids = Array.from({ length: 10_000 }, () => randomUuid());

  it('should give version 4 UUIDs with the RFC variant, in lower case', () => {
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('should never repeat an id', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should vary every random hex digit, across batches and draws', () => {
    const hex = ids.map((id) => id.replaceAll('-', ''));
    for (let position = 0; position < 32; position++) {
      if (position === 12) continue; // the version digit
      const digits = new Set(hex.map((h) => h[position]));
      expect(digits.size, `digit ${position}`).toBe(position === 16 ? 4 : 16); // 16: the variant digit
    }
  });

  it('should not count: consecutive ids reveal nothing of how many came before', () => {
    // A counter or timestamp would share leading digits with its predecessor.
    for (let i = 1; i < ids.length; i++) expect(ids[i]!.slice(0, 8)).not.toBe(ids[i - 1]!.slice(0, 8));
  });
});
