import type { CliCommand } from '../CliCommand.ts';
import { ALL_TENANTS, FILTER_OPTIONS, filtersFromValues, PAGE_OPTIONS, pageFromValues } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { printEventPage } from '../print-event-page.ts';

/** `otel-activity audit search [filters]`: matching events, newest first, a page at a time. */
export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'events matching filters, newest first',
  usage: '[options]',
  description: 'Lists the audit events matching every filter given, newest first, a page at a time (--limit, then --cursor for the next page). Without filters: the most recent events.',
  options: [...FILTER_OPTIONS, ...PAGE_OPTIONS],
  positionals: 0,
  prepare({ values }) {
    const filters = filtersFromValues(values);
    const scope = ALL_TENANTS;
    const page = pageFromValues(values);
    return async (ctx) => {
      printEventPage(ctx, await ctx.store.search(scope, filters, page));
      return CliExitCode.OK;
    };
  },
};
