/**
 * The error registry. Errors are thrown only at setup (bad configuration, a missing
 * hook); at runtime otel-activity reports through OpenTelemetry's diag and counts,
 * and never throws into the host application.
 *
 * Codes are stable: scripts and tests match on `err.code`.
 * Retired codes (must not be reused): none yet.
 */
export const ErrorCode = Object.freeze({
  /** An environment variable or option has a value of the wrong form. */
  INVALID_CONFIG: 'ACTIVITY_ERR_INVALID_CONFIG',
  /** The config file exists but cannot be loaded, or exports the wrong shape. */
  CONFIG_FILE: 'ACTIVITY_ERR_CONFIG_FILE',
  /** The audit HTTP API was mounted without an `authorize` hook. */
  NO_AUTHORIZE_HOOK: 'ACTIVITY_ERR_NO_AUTHORIZE_HOOK',
  /** A transaction handle passed to recordAudit is of no known driver. */
  UNKNOWN_TRANSACTION: 'ACTIVITY_ERR_UNKNOWN_TRANSACTION',
  /** startActivity was called while a pipeline is running (the preload started one). */
  ALREADY_STARTED: 'ACTIVITY_ERR_ALREADY_STARTED',
  /** The audit store is disabled (ACTIVITY_AUDIT=off) or not started. */
  AUDIT_UNAVAILABLE: 'ACTIVITY_ERR_AUDIT_UNAVAILABLE',
  /** An audit query got a malformed scope, cursor, filter or option (an HTTP API answers 400). */
  INVALID_QUERY: 'ACTIVITY_ERR_INVALID_QUERY',
} as const);
export type ErrorCodeName = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error with a stable `code` from {@link ErrorCode}. */
export class ActivityError extends Error {
  readonly code: ErrorCodeName;

  constructor(code: ErrorCodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActivityError';
    this.code = code;
  }
}

/**
 * A configuration value of the wrong form. The message names the setting and the
 * expected form, e.g. `ACTIVITY_SLOW_MS="fast" is invalid: expected a whole number of milliseconds >= 0`.
 */
export class ActivityConfigError extends ActivityError {
  /** The environment variable or option name that was wrong. */
  readonly setting: string;

  constructor(setting: string, value: unknown, expected: string) {
    super(ErrorCode.INVALID_CONFIG, `otel-activity: ${setting}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'ActivityConfigError';
    this.setting = setting;
  }
}
