import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AuditStore } from '../audit/AuditStore.ts';
import { openAuditStore } from '../audit/open-audit-store.ts';
import { isStoreUnreachable } from '../audit-api/is-store-unreachable.ts';
import type { ResolvedConfig } from '../config/options.ts';
import { resolveConfig } from '../config/resolve-config.ts';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import { VERSION } from '../version.ts';
import type { CliCommand, CliContext, CliStream, CliValues } from './CliCommand.ts';
import { GLOBAL_OPTIONS } from './cli-options.ts';
import { CliExitCode } from './CliExitCode.ts';
import { CliUsageError } from './CliUsageError.ts';
import { AUDIT_COMMANDS } from './commands/index.ts';
import { formatCommandHelp, formatTopHelp } from './format-help.ts';
import { ProgressBar } from './ProgressBar.ts';

/** Where the CLI reads and writes; `main.ts` passes the process's own. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Environment the settings are resolved from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Directory relative paths and the config file are resolved against. Default process.cwd(). */
  cwd?: string;
}

/**
 * Runs `otel-activity <argv>` and resolves with the exit code (see {@link CliExitCode});
 * never rejects. Usage errors are caught before any store is opened.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let store: AuditStore | undefined;
  let phase: 'usage' | 'open' | 'run' = 'usage';
  try {
    const [group, name, ...rest] = argv;
    if (group === '--version' || group === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return CliExitCode.OK;
    }
    if (group === '--help' || group === '-h' || group === 'help' || ((group === 'audit' || group === undefined) && (name === undefined || name === '--help' || name === '-h'))) {
      const help = formatTopHelp(AUDIT_COMMANDS, VERSION);
      const asked = group !== undefined && (group !== 'audit' || name !== undefined);
      (asked ? io.stdout : io.stderr).write(help);
      return asked ? CliExitCode.OK : CliExitCode.USAGE;
    }
    if (group !== 'audit') throw new CliUsageError(`unknown command ${JSON.stringify(group)}: expected audit`);
    const command = AUDIT_COMMANDS.find((c) => c.name === name || (name === 'anonymise' && c.name === 'anonymize'));
    if (command === undefined) throw new CliUsageError(`unknown command "audit ${name}": expected one of ${AUDIT_COMMANDS.map((c) => c.name).join(', ')}`);

    const { values, positionals } = parseCommandLine(command, rest);
    if (values.help === true) {
      io.stdout.write(formatCommandHelp(command));
      return CliExitCode.OK;
    }
    if (positionals.length !== command.positionals) {
      throw new CliUsageError(`audit ${command.name} takes ${command.usage.replace(/ ?\[options\]/, '') || 'no arguments'}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`, `audit ${command.name}`);
    }
    const config = configFor(values, io);
    const run = command.prepare({ values, positionals, config });

    phase = 'open';
    const location = describeLocation(config);
    if (!command.createsStore && config.audit.databaseUrl === undefined && !config.audit.dataDir.startsWith('memory://') && !existsSync(join(config.audit.dataDir, 'PG_VERSION'))) {
      throw new ActivityError(ErrorCode.AUDIT_UNAVAILABLE, `no embedded audit database in ${config.audit.dataDir}: pass --database-url or --data-dir, or create it with 'otel-activity audit migrate'`);
    }
    // The operator asked for the store: ACTIVITY_AUDIT=off concerns the app's writing, not this tool.
    store = await openAuditStore({ ...config.audit, enabled: true });

    phase = 'run';
    const json = values.json === true;
    const ctx: CliContext = {
      store,
      json,
      stdout: io.stdout,
      stderr: io.stderr,
      width: io.stdout.isTTY ? (io.stdout.columns ?? 80) : undefined,
      progress: (label) => new ProgressBar(io.stderr, label),
      location,
    };
    return await run(ctx);
  } catch (error) {
    return report(io, error, phase);
  } finally {
    await store?.close().catch(() => {});
  }
}

function parseCommandLine(command: CliCommand, args: readonly string[]): { values: CliValues; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const o of [...GLOBAL_OPTIONS, ...command.options]) {
    options[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as CliValues, positionals };
  } catch (error) {
    throw new CliUsageError((error as Error).message, `audit ${command.name}`);
  }
}

/** The settings, like the preload resolves them, with `--database-url` and `--data-dir` on top. */
function configFor(values: CliValues, io: CliIo): ResolvedConfig {
  const audit: { databaseUrl?: string; dataDir?: string } = {};
  if (typeof values['database-url'] === 'string') audit.databaseUrl = values['database-url'];
  if (typeof values['data-dir'] === 'string') audit.dataDir = values['data-dir'];
  return resolveConfig({ options: { audit }, env: io.env ?? process.env, cwd: io.cwd ?? process.cwd() });
}

/** The database URL without its password, or the embedded directory. */
function describeLocation(config: ResolvedConfig): string {
  const url = config.audit.databaseUrl;
  if (url === undefined) return config.audit.dataDir;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function report(io: CliIo, error: unknown, phase: 'usage' | 'open' | 'run'): number {
  const message = messageOf(error);
  if (error instanceof CliUsageError) {
    io.stderr.write(`otel-activity: ${message}\nRun 'otel-activity ${error.command ?? 'audit'} --help' for usage.\n`);
    return CliExitCode.USAGE;
  }
  if (error instanceof ActivityError && (error.code === ErrorCode.INVALID_QUERY || error.code === ErrorCode.INVALID_CONFIG || error.code === ErrorCode.CONFIG_FILE) && phase === 'usage') {
    io.stderr.write(`otel-activity: ${message}\n`);
    return CliExitCode.USAGE;
  }
  if (phase === 'open' || isStoreUnreachable(error) || (error instanceof ActivityError && error.code === ErrorCode.AUDIT_UNAVAILABLE)) {
    io.stderr.write(`otel-activity: cannot use the audit store: ${message}\n`);
    return CliExitCode.STORE_UNAVAILABLE;
  }
  if (error instanceof ActivityError && error.code === ErrorCode.INVALID_QUERY) {
    io.stderr.write(`otel-activity: ${message}\n`);
    return CliExitCode.USAGE;
  }
  io.stderr.write(`otel-activity: ${message}\n`);
  return CliExitCode.FAILURE;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return (error.message || (error as { code?: string }).code || error.name).replace(/^otel-activity: /, '');
  return String(error);
}
