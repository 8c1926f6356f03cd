import type { CliCommand, CliOption } from './CliCommand.ts';
import { GLOBAL_OPTIONS } from './cli-options.ts';

const EXIT_CODES = `Exit codes:
  0  success
  1  usage error (unknown command or flag, invalid value)
  2  verify found a broken chain
  3  the audit store cannot be reached or opened
  4  any other failure
`;

const STORE = `The store is found like the app's preload finds it: --database-url, else ACTIVITY_AUDIT_DATABASE_URL,
else the embedded database in --data-dir / ACTIVITY_AUDIT_DATA_DIR (default data/audit), also read from
otel-activity.config.mjs in the working directory.`;

/** `otel-activity --help` and `otel-activity audit --help`. */
export function formatTopHelp(commands: readonly CliCommand[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `otel-activity ${version}: the audit trail from the command line

Usage: otel-activity audit <command> [options]
       otel-activity audit <command> --help
       otel-activity --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options:
${formatOptions(GLOBAL_OPTIONS)}
Output is a table on a terminal (cut to its width), plain aligned text when piped, and one JSON
document with --json. Progress bars go to stderr, only when it is a terminal.

${STORE}

${EXIT_CODES}`;
}

/** `otel-activity audit <command> --help`. */
export function formatCommandHelp(command: CliCommand): string {
  const options = command.options.length === 0 ? '' : `Options:\n${formatOptions(command.options)}\n`;
  return `Usage: otel-activity audit ${command.name} ${command.usage}

${wrap(command.description, 100)}

${options}Global options:
${formatOptions(GLOBAL_OPTIONS)}
${EXIT_CODES}`;
}

function formatOptions(options: readonly CliOption[]): string {
  const flags = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...flags.map((f) => f.length));
  return options.map((o, i) => `  ${flags[i]!.padEnd(width)}  ${o.help}\n`).join('');
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
