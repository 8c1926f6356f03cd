/**
 * Every default in one table, with its unit. `resolveConfig` applies
 * options > environment > config file > these.
 */
export const DEFAULTS = Object.freeze({
  enabled: true,
  console: 'narrative',
  consoleLevel: 'info',
  file: 'logs/activity.log',
  fileLevel: 'info',
  /** bytes (10 MiB) */
  fileMaxBytes: 10 * 1024 * 1024,
  /** rotated files kept */
  fileBackups: 5,
  /** milliseconds */
  slowMs: 1000,
  /** milliseconds */
  verySlowMs: 5000,
  ignorePaths: ['/health', '/metrics'],
  trustProxy: false,
  requestIdHeader: 'x-request-id',
  sessionCookies: ['sid', 'session', 'sessionid', 'session_id', 'connect.sid', 'JSESSIONID', 'PHPSESSID'],
  mask: true,
  /** characters */
  maxValueLength: 4096,
  emojis: true,
  showUser: true,
  showTime: true,
  banner: true,
  configFile: 'otel-activity.config.mjs',
  audit: {
    enabled: true,
    dataDir: 'data/audit',
    spoolDir: 'data/audit-spool',
    /** bytes (1 GiB) */
    spoolMaxBytes: 1024 * 1024 * 1024,
    /** days */
    retentionDays: 90,
    /** rows per insert */
    batchSize: 500,
    /** milliseconds */
    flushIntervalMillis: 200,
  },
} as const);
