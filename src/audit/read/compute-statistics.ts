import type { AuditSearchFilters, AuditStatistics, TenantScope } from '../AuditStore.ts';
import type { SqlDriver } from '../driver/SqlDriver.ts';
import { filterClause } from './filter-clause.ts';
import { SqlParams } from './SqlParams.ts';

/** Key used in the `by*` maps for events without a category. */
export const NO_CATEGORY = 'none';

interface GroupRow {
  action: string | null;
  category: string | null;
  level: string | null;
  g_action: number;
  g_category: number;
  g_level: number;
  n: string | number;
  errors: string | number;
  users: string | number | null;
}

/**
 * Totals for the dashboard over the matching events: counts by action, category and
 * level and the error rate (outcome failure or level error/fatal) in one grouping-sets
 * scan, then the top users. Both run in one repeatable-read snapshot so they agree.
 */
export async function computeStatistics(
  driver: SqlDriver,
  scope: TenantScope,
  filters: AuditSearchFilters = {},
  topUsers = 10,
): Promise<AuditStatistics> {
  const params = new SqlParams();
  const where = filterClause(scope, filters, params);
  const top = Math.min(100, Math.max(0, Math.floor(Number.isFinite(topUsers) ? topUsers : 10)));
  return driver.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const groups = await tx.query<GroupRow>(
      `SELECT action, category, level,
              GROUPING(action) AS g_action, GROUPING(category) AS g_category, GROUPING(level) AS g_level,
              count(*) AS n,
              count(*) FILTER (WHERE outcome = 'failure' OR level IN ('error', 'fatal')) AS errors,
              CASE WHEN GROUPING(action, category, level) = 7 THEN count(DISTINCT user_id) END AS users
         FROM activity_log WHERE ${where}
        GROUP BY GROUPING SETS ((), (action), (category), (level))`,
      params.values,
    );
    const stats: AuditStatistics = { total: 0, activeUsers: 0, byAction: {}, byCategory: {}, byLevel: {}, errorRate: 0, topUsers: [] };
    for (const r of groups) {
      const n = Number(r.n);
      if (r.g_action && r.g_category && r.g_level) {
        stats.total = n;
        stats.activeUsers = Number(r.users ?? 0);
        stats.errorRate = n === 0 ? 0 : Number(r.errors) / n;
      } else if (!r.g_action) stats.byAction[r.action!] = n;
      else if (!r.g_category) stats.byCategory[r.category ?? NO_CATEGORY] = n;
      else stats.byLevel[r.level!] = n;
    }
    if (top > 0 && stats.activeUsers > 0) {
      const users = await tx.query<{ user_id: string; n: string | number }>(
        `SELECT user_id, count(*) AS n FROM activity_log WHERE ${where} AND user_id IS NOT NULL
          GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT ${params.add(top)}`,
        params.values,
      );
      stats.topUsers = users.map((u) => ({ userId: u.user_id, count: Number(u.n) }));
    }
    return stats;
  });
}
