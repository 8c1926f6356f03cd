import { randomFillSync } from 'node:crypto';
import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from '../../src/internal/PooledIdGenerator.ts';

describe('PooledIdGenerator', () => {
  it('should give valid, distinct trace and span ids across many draws from the pool', () => {
    const ids = new PooledIdGenerator();
    // 20000 spans' ids: several 4 KiB windows of text and more than one 64 KiB draw.
    const traceIds = Array.from({ length: 20_000 }, () => ids.generateTraceId());
    const spanIds = Array.from({ length: 20_000 }, () => ids.generateSpanId());
    for (const id of traceIds) expect(isValidTraceId(id), id).toBe(true);
    for (const id of spanIds) expect(isValidSpanId(id), id).toBe(true);
    expect(new Set(traceIds).size).toBe(traceIds.length);
    expect(new Set(spanIds).size).toBe(spanIds.length);
  });

  it('should skip an all-zero id, which W3C trace context treats as absent', () => {
    let draws = 0;
    // The first draw of random bytes is all zeros; the next ones are random.
    const ids = new PooledIdGenerator((pool) => (draws++ === 0 ? pool.fill(0) : randomFillSync(pool)));
    expect(isValidTraceId(ids.generateTraceId())).toBe(true);
    expect(isValidSpanId(ids.generateSpanId())).toBe(true);
    expect(draws).toBe(2);
  });
});
