import type { CliStream } from './CliCommand.ts';

/** Writes one JSON document (two-space indented, dates as ISO strings) and a newline. */
export function printJson(stream: CliStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
