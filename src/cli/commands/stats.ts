import type { AuditStatistics } from '../../audit/AuditStore.ts';
import type { CliCommand, CliContext } from '../CliCommand.ts';
import { ALL_TENANTS, FILTER_OPTIONS, filtersFromValues, integerFlag } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { printJson } from '../print-json.ts';
import { renderTable } from '../render-table.ts';

/** `otel-activity audit stats [filters]`: totals by action, category, level, and the busiest users. */
export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'totals by action, category and level; error rate; top users',
  usage: '[options]',
  description: 'Counts the matching events: total, distinct users, error rate (outcome failure or level error/fatal), by action, category and level, and the users with the most events.',
  options: [...FILTER_OPTIONS, { name: 'top', type: 'string', value: 'N', help: 'top users to list, 0-100 (default 10)' }],
  positionals: 0,
  prepare({ values }) {
    const filters = filtersFromValues(values);
    const scope = ALL_TENANTS;
    const topUsers = integerFlag(values, 'top', 0, 100) ?? 10;
    return async (ctx) => {
      const stats = await ctx.store.statistics(scope, filters, { topUsers });
      if (ctx.json) printJson(ctx.stdout, stats);
      else printStats(ctx, stats);
      return CliExitCode.OK;
    };
  },
};

function printStats(ctx: CliContext, stats: AuditStatistics): void {
  const n = (v: number) => v.toLocaleString('en-US');
  const width = ctx.width === undefined ? {} : { maxWidth: ctx.width };
  const counts = (title: string, map: Record<string, number>) => {
    const rows = Object.entries(map).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, v]) => [k, n(v)]);
    return rows.length === 0 ? '' : `\n${renderTable([{ header: title, shrink: 1 }, { header: 'EVENTS', align: 'right' }], rows, width)}`;
  };
  ctx.stdout.write(
    `Events        ${n(stats.total)}\nActive users  ${n(stats.activeUsers)}\nError rate    ${(stats.errorRate * 100).toFixed(1)}%\n` +
      counts('ACTION', stats.byAction) +
      counts('CATEGORY', stats.byCategory) +
      counts('LEVEL', stats.byLevel) +
      counts('TOP USER', Object.fromEntries(stats.topUsers.map((u) => [u.userId, u.count]))),
  );
}
