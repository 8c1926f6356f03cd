import type { CliCommand } from '../CliCommand.ts';
import { scopeFromValues, TENANT_OPTION } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { operatorActor } from '../operator-actor.ts';
import { printJson } from '../print-json.ts';

/** `otel-activity audit anonymize <userId>`: GDPR erasure of one user's personal fields. */
export const anonymizeCommand: CliCommand = {
  name: 'anonymize',
  summary: "remove a user's personal fields, keeping the activity (GDPR)",
  usage: '<userId> [options]',
  description:
    "Blanks the user id and name, IP address, user agent and session id on the user's events (in every tenant, or only --tenant's), " +
    'keeping the activity itself; the chains still verify. Records an ANONYMIZE audit event that names the user only by a keyed digest. ' +
    'Free text the app wrote (descriptions, details) is not changed.',
  options: [TENANT_OPTION],
  positionals: 1,
  prepare({ values, positionals }) {
    const userId = positionals[0]!;
    const scope = scopeFromValues(values);
    return async (ctx) => {
      const { updated } = await ctx.store.anonymize(scope, userId, operatorActor());
      if (ctx.json) printJson(ctx.stdout, { updated });
      else ctx.stdout.write(`Anonymised ${updated.toLocaleString('en-US')} events of that user (${'tenantId' in scope ? `tenant ${scope.tenantId}` : 'all tenants'}).\n`);
      return CliExitCode.OK;
    };
  },
};
