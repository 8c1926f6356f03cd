import type { CliCommand } from '../CliCommand.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { printJson } from '../print-json.ts';

/** `otel-activity audit migrate`: creates or upgrades the schema (opening the store does it). */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'create or upgrade the audit schema',
  usage: '[options]',
  description:
    'Opens the audit store, which applies the schema migrations not yet applied (idempotent; safe while apps run, they take a lock), ' +
    'creates the embedded database if it does not exist, and reports the schema version.',
  options: [],
  positionals: 0,
  createsStore: true,
  prepare() {
    return async (ctx) => {
      const schemaVersion = await ctx.store.schemaVersion(); // opening the store applied the migrations
      if (ctx.json) printJson(ctx.stdout, { kind: ctx.store.kind, location: ctx.location, schemaVersion });
      else ctx.stdout.write(`Audit store ready: ${ctx.store.kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'} ${ctx.location}, schema version ${schemaVersion}.\n`);
      return CliExitCode.OK;
    };
  },
};
