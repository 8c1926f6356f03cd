/** A command line the CLI cannot run: exit 1, with the message and a pointer to `--help`. */
export class CliUsageError extends Error {
  /** The command whose help to point at, e.g. `audit search`; undefined = the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'CliUsageError';
    this.command = command;
  }
}
