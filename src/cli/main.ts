#!/usr/bin/env node
/**
 * The `otel-activity` executable (package.json `bin`): `otel-activity audit <command>`.
 * See run-cli.ts; exit codes in CliExitCode.ts.
 */
import { runCli } from './run-cli.ts';

// `otel-activity audit search | head`: a closed pipe ends the output, it is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
