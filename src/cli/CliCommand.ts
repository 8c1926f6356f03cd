import type { Writable } from 'node:stream';
import type { AuditStore } from '../audit/AuditStore.ts';
import type { ResolvedConfig } from '../config/options.ts';
import type { ProgressBar } from './ProgressBar.ts';

/** One flag, for `node:util` parseArgs and for the help text. */
export interface CliOption {
  /** Long name without dashes, e.g. `resource-type`. */
  name: string;
  type: 'string' | 'boolean';
  short?: string;
  /** May be repeated (values collected in an array). */
  multiple?: boolean;
  /** Placeholder of the value in help, e.g. `T`. */
  value?: string;
  help: string;
}

/** Parsed flag values, by long name. */
export type CliValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** What a command validates before any store is opened. */
export interface CliInput {
  values: CliValues;
  positionals: readonly string[];
  /** The resolved settings (`resolveConfig()` with the global flags applied). */
  config: ResolvedConfig;
}

/** A terminal-or-pipe output stream. */
export type CliStream = Writable & { isTTY?: boolean; columns?: number };

/** What a command runs with. */
export interface CliContext {
  store: AuditStore;
  /** `--json`: one JSON document on stdout (JSON lines for an export to stdout). */
  json: boolean;
  stdout: CliStream;
  stderr: CliStream;
  /** Width to fit tables into: the terminal's columns when stdout is a TTY, else unlimited. */
  width: number | undefined;
  /** A progress bar on stderr (drawn only when stderr is a TTY). */
  progress(label: string): ProgressBar;
  /** Where the store is, for messages (`postgres://user@host/db` without password, or a directory). */
  location: string;
}

/** One `otel-activity audit <command>`. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Arguments after the command name, for the usage line, e.g. `<userId> [options]`. */
  usage: string;
  /** Paragraph of help text below the usage line. */
  description: string;
  options: readonly CliOption[];
  /** Number of positional arguments it takes (all required). */
  positionals: number;
  /** True for `migrate`: it may create the embedded database; the others refuse a missing one. */
  createsStore?: boolean;
  /**
   * Validates the input (throwing CliUsageError, or ActivityError INVALID_QUERY for a bad
   * filter) and returns the step that runs against the store and returns the exit code.
   */
  prepare(input: CliInput): (ctx: CliContext) => Promise<number>;
}
