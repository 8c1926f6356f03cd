import { describe, expect, it } from 'vitest';
import { interpolate, logqlErrors, shippedLogQL } from '../support/logql-queries.ts';

const queries = shippedLogQL();

describe('the LogQL the stack ships (dashboards, alert rules, trace-to-logs)', () => {
  it('should include every dashboard, every alert rule and the Tempo link', () => {
    const where = queries.map((q) => q.where).join('\n');

    for (const file of ['user-journeys.json', 'api-performance.json', 'errors-and-security.json', 'audit-trail.json']) expect(where).toContain(file);
    expect(queries.filter((q) => q.where.startsWith('alert '))).toHaveLength(4);
    expect(where).toContain('tracesToLogsV2');
  });

  it.each(queries.map((q) => [q.where, q.expr] as const))('should parse with Grafana\'s LogQL grammar: %s', (_where, expr) => {
    expect(logqlErrors(interpolate(expr))).toEqual([]);
  });

  describe('logqlErrors', () => {
    it.each([
      '{service_name="a"} | activity_duration_ms >= ',
      'sum by (user_id) (count_over_time({service_name="a"} [5m])',
      '{service_name="a"} | user_id="u1" [5m]',
      'count_over_time({service_name="a"})',
    ])('should find the error in %s', (expr) => {
      expect(logqlErrors(expr)).not.toEqual([]);
    });
  });
});
