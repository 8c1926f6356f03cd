import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { basename, resolve } from 'node:path';
import type { AuditSearchFilters, ExportManifest, TenantScope } from '../../audit/AuditStore.ts';
import { uuidv7 } from '../../internal/uuidv7.ts';
import { AuditAction } from '../../constants.ts';
import type { CliCommand, CliContext } from '../CliCommand.ts';
import { ALL_TENANTS, FILTER_OPTIONS, filtersFromValues } from '../cli-options.ts';
import { CliExitCode } from '../CliExitCode.ts';
import { CliUsageError } from '../CliUsageError.ts';
import { operatorActor } from '../operator-actor.ts';
import { printJson } from '../print-json.ts';

type Format = 'csv' | 'jsonl';

/**
 * `otel-activity audit export`: streams matching events (oldest first) as CSV or JSON lines
 * to a file (written under a temporary name and renamed when complete) or to stdout, with
 * a manifest (rows, sha256 of the bytes, chain heads) in FILE.manifest.json.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write events as CSV or JSON lines, with a sha256 manifest',
  usage: '[options]',
  description:
    'Writes the matching events, oldest first, as CSV (RFC 4180, a header row) or JSON lines. With --output FILE the data goes to FILE ' +
    '(only complete: it is written under a temporary name and renamed at the end) and the manifest (rows, sha256 of the file, the chain heads ' +
    'at export time, filters) to FILE.manifest.json, and is printed. Without --output the data goes to stdout and the manifest to stderr. ' +
    'The export itself is recorded as an EXPORT audit event.',
  options: [
    ...FILTER_OPTIONS,
    { name: 'format', type: 'string', value: 'F', help: 'csv | jsonl (default: from the --output extension, else jsonl)' },
    { name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'write to FILE and FILE.manifest.json (default: stdout)' },
  ],
  positionals: 0,
  prepare({ values }) {
    const filters = filtersFromValues(values);
    const scope = ALL_TENANTS;
    const output = typeof values.output === 'string' ? resolve(values.output) : undefined;
    const format = formatOf(values.format, output);
    return (ctx) => (output === undefined ? exportToStdout(ctx, scope, filters, format) : exportToFile(ctx, scope, filters, format, output));
  },
};

function formatOf(flag: unknown, output: string | undefined): Format {
  if (typeof flag === 'string') {
    const f = flag.toLowerCase();
    if (f === 'csv') return 'csv';
    if (f === 'jsonl' || f === 'json' || f === 'ndjson') return 'jsonl';
    throw new CliUsageError(`--format=${JSON.stringify(flag)} is invalid: expected csv or jsonl`, 'audit export');
  }
  return output !== undefined && /\.csv$/i.test(output) ? 'csv' : 'jsonl';
}

async function exportToFile(ctx: CliContext, scope: TenantScope, filters: AuditSearchFilters, format: Format, output: string): Promise<number> {
  const partial = `${output}.partial-${process.pid}`;
  const file = createWriteStream(partial);
  try {
    await once(file, 'open');
  } catch (error) {
    throw new Error(`cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const bar = ctx.progress('export');
  let manifest: ExportManifest;
  try {
    manifest = await ctx.store.export(scope, filters, { format, output: file, onProgress: (d, t) => bar.update(d, t) });
    file.end();
    await finished(file);
    await recordExport(ctx, manifest, output); // before the file appears: no complete, unaudited export
    renameSync(partial, output);
  } catch (error) {
    file.destroy();
    rmSync(partial, { force: true });
    throw error;
  } finally {
    bar.finish();
  }
  const manifestFile = `${output}.manifest.json`;
  const written = { ...manifest, file: basename(output) };
  writeFileSync(manifestFile, `${JSON.stringify(written, null, 2)}\n`);
  if (ctx.json) printJson(ctx.stdout, written);
  else {
    ctx.stdout.write(
      `Exported ${manifest.rows.toLocaleString('en-US')} events to ${output} (${format})\n` +
        `sha256    ${manifest.sha256}\nmanifest  ${manifestFile}\n`,
    );
  }
  return CliExitCode.OK;
}

async function exportToStdout(ctx: CliContext, scope: TenantScope, filters: AuditSearchFilters, format: Format): Promise<number> {
  const bar = ctx.progress('export');
  let manifest: ExportManifest;
  try {
    manifest = await ctx.store.export(scope, filters, { format, output: ctx.stdout, onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.finish();
  }
  await recordExport(ctx, manifest, 'stdout');
  if (ctx.json) ctx.stderr.write(`${JSON.stringify(manifest)}\n`);
  else ctx.stderr.write(`Exported ${manifest.rows.toLocaleString('en-US')} events (${format}), sha256 ${manifest.sha256}\n`);
  return CliExitCode.OK;
}

/** Data leaving the store is audited like the HTTP API's exports: an EXPORT event by the operator. */
async function recordExport(ctx: CliContext, manifest: ExportManifest, destination: string): Promise<void> {
  const now = Date.now();
  const actor = operatorActor();
  await ctx.store.append([
    {
      eventId: uuidv7(now),
      occurredAt: new Date(now),
      action: AuditAction.EXPORT,
      resourceType: 'audit_log',
      tenantId: manifest.filters.tenantId ?? null,
      userId: actor.userId ?? null,
      category: 'data_management',
      description: `Audit trail exported from the CLI: ${manifest.rows} events as ${manifest.format}`,
      details: { via: 'cli', destination, rows: manifest.rows, sha256: manifest.sha256, filters: JSON.parse(JSON.stringify(manifest.filters)) },
    },
  ]);
}
