import type { CliCommand } from '../CliCommand.ts';
import { ALL_TENANTS, FILTER_OPTIONS, filtersFromValues, PAGE_OPTIONS, pageFromValues } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { printEventPage } from '../print-event-page.ts';

/** `otel-activity audit trail <userId>`: what one user did, newest first. */
export const trailCommand: CliCommand = {
  name: 'trail',
  summary: "a user's audit trail, newest first",
  usage: '<userId> [options]',
  description: "Lists the audit events of one user, newest first, in every tenant or the one named by --tenant. The other filters narrow it further.",
  options: [...FILTER_OPTIONS.filter((o) => o.name !== 'user'), ...PAGE_OPTIONS],
  positionals: 1,
  prepare({ values, positionals }) {
    const filters = { ...filtersFromValues(values, ['userId']), userId: positionals[0]! };
    const scope = ALL_TENANTS;
    const page = pageFromValues(values);
    return async (ctx) => {
      printEventPage(ctx, await ctx.store.search(scope, filters, page));
      return CliExitCode.OK;
    };
  },
};
