import type { VerifyResult } from '../../audit/AuditStore.ts';
import type { CliCommand, CliContext } from '../CliCommand.ts';
import { scopeFromValues, TENANT_OPTION } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { printJson } from '../print-json.ts';
import { renderTable } from '../render-table.ts';

/** `otel-activity audit verify`: walks the hash chains; exit 2 when one is broken. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check the hash chains; exit 2 if any is broken',
  usage: '[options]',
  description:
    "Walks each tenant's hash chain (or only --tenant's) and reports, per tenant, the rows checked, the chain head, and the first row " +
    'where the chain does not hold (a changed, removed or reordered row). Exits 0 when every chain holds, 2 when one is broken.',
  options: [TENANT_OPTION],
  positionals: 0,
  prepare({ values }) {
    const scope = scopeFromValues(values);
    return async (ctx) => {
      const bar = ctx.progress('verify');
      let result: VerifyResult;
      try {
        result = await ctx.store.verify(scope, { onProgress: (d, t) => bar.update(d, t) });
      } finally {
        bar.finish();
      }
      if (ctx.json) printJson(ctx.stdout, result);
      else printVerify(ctx, result);
      return result.ok ? CliExitCode.OK : CliExitCode.CHAIN_BROKEN;
    };
  },
};

function printVerify(ctx: CliContext, result: VerifyResult): void {
  if (result.tenants.length === 0) {
    ctx.stdout.write('No chains to verify (the store is empty).\n');
    return;
  }
  const rows = result.tenants.map((t) => [
    t.tenantId === '' ? '-' : t.tenantId,
    t.rows.toLocaleString('en-US'),
    t.head?.seq.toLocaleString('en-US') ?? '',
    t.ok ? 'ok' : 'BROKEN',
    t.firstBroken ? `seq ${t.firstBroken.seq}${t.firstBroken.eventId ? ` (event ${t.firstBroken.eventId})` : ''}: ${t.firstBroken.reason}` : '',
  ]);
  const columns = [
    { header: 'TENANT', shrink: 1 },
    { header: 'ROWS', align: 'right' as const },
    { header: 'HEAD SEQ', align: 'right' as const },
    { header: 'STATUS' },
    { header: 'FIRST BROKEN ROW' },
  ];
  ctx.stdout.write(renderTable(columns, rows, ctx.width === undefined ? {} : { maxWidth: ctx.width }));
  const broken = result.tenants.filter((t) => !t.ok).length;
  const n = result.tenants.length;
  ctx.stdout.write(broken === 0 ? `All ${n} chain${n === 1 ? '' : 's'} intact.\n` : `${broken} of ${n} chain${n === 1 ? '' : 's'} BROKEN.\n`);
}
