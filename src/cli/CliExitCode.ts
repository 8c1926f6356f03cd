/**
 * The CLI's exit codes, stable for scripts:
 * 0 success; 1 usage error (unknown command or flag, bad value); 2 `verify` found a broken
 * chain; 3 the audit store cannot be reached or opened; 4 any other runtime failure.
 */
export const CliExitCode = Object.freeze({
  OK: 0,
  USAGE: 1,
  CHAIN_BROKEN: 2,
  STORE_UNAVAILABLE: 3,
  FAILURE: 4,
} as const);
export type CliExitCodeValue = (typeof CliExitCode)[keyof typeof CliExitCode];
