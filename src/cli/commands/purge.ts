import type { CliCommand } from '../CliCommand.ts';
import { integerFlag } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { operatorActor } from '../operator-actor.ts';
import { printJson } from '../print-json.ts';

const DAY_MILLIS = 86_400_000;

/** `otel-activity audit purge`: retention, across all tenants; `--dry-run` only counts. */
export const purgeCommand: CliCommand = {
  name: 'purge',
  summary: 'delete events older than the retention period',
  usage: '[options]',
  description:
    'Deletes the events (of every tenant) older than --older-than-days, dropping whole monthly partitions where it can; the chains still ' +
    'verify afterwards. Records a PURGE audit event with the operator (cli:<OS user>) as actor. Asks no confirmation: use --dry-run to see ' +
    'how many events would go.',
  options: [
    { name: 'older-than-days', type: 'string', value: 'N', help: 'keep the last N days, 0-36500 (default: ACTIVITY_AUDIT_RETENTION_DAYS, else 90)' },
    { name: 'dry-run', type: 'boolean', help: 'count the events that would be deleted; delete nothing' },
  ],
  positionals: 0,
  prepare({ values, config }) {
    const days = integerFlag(values, 'older-than-days', 0, 36_500) ?? config.audit.retentionDays;
    const dryRun = values['dry-run'] === true;
    return async (ctx) => {
      if (dryRun) {
        const cutoff = new Date(Date.now() - days * DAY_MILLIS);
        const { total } = await ctx.store.statistics({ allTenants: true }, { to: cutoff }, { topUsers: 0 });
        if (ctx.json) printJson(ctx.stdout, { dryRun: true, olderThanDays: days, cutoff: cutoff.toISOString(), wouldDelete: total });
        else ctx.stdout.write(`Would delete ${total.toLocaleString('en-US')} events older than ${days} days (before ${cutoff.toISOString()}). Nothing deleted.\n`);
        return CliExitCode.OK;
      }
      const bar = ctx.progress('purge');
      let result: { deleted: number; droppedPartitions: string[] };
      try {
        result = await ctx.store.purge({ olderThanDays: days, actor: operatorActor(), onProgress: (d, t) => bar.update(d, t) });
      } finally {
        bar.finish();
      }
      if (ctx.json) printJson(ctx.stdout, { olderThanDays: days, ...result });
      else {
        const dropped = result.droppedPartitions.length > 0 ? `; dropped partitions ${result.droppedPartitions.join(', ')}` : '';
        ctx.stdout.write(`Deleted ${result.deleted.toLocaleString('en-US')} events older than ${days} days${dropped}.\n`);
      }
      return CliExitCode.OK;
    };
  },
};
