import { describe, expect, it } from 'vitest';
import { createMasker } from '../../src/masking/create-masker.ts';
import * as semconv from '../../src/semconv.ts';

describe('ActivityLogRecord', () => {
  it('should rely only on attribute names that are not sensitive keys (premasked records mask values, not keys)', () => {
    const masker = createMasker();
    const names = Object.entries(semconv).filter(([k]) => k.startsWith('ATTR_')).map(([, v]) => v as string);
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) expect(masker.isSensitiveKey(name), name).toBe(false);
  });
});
