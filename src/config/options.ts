import type { IncomingMessage } from 'node:http';
import type { ActivityLevelName } from '../constants.ts';
import type { NarrativeTemplate } from '../narrative/narrative-view.ts';

/** Who acts: bound by the app after it authenticates. */
export interface ActivityUser {
  id: string;
  name?: string;
  roles?: string[];
}

/** What an identity hook or `withContext` binds. */
export interface ActivityIdentity {
  user?: ActivityUser;
  tenant?: string;
  session?: string;
}

export type ConsoleMode = 'narrative' | 'json' | 'off';
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * Options for {@link startActivity}, and the default export of the config file
 * (`otel-activity.config.mjs`). Precedence: these options > environment > config
 * file > defaults. Each option names its environment variable and default.
 */
export interface ActivityOptions {
  /** `ACTIVITY_ENABLED` (also off when `OTEL_SDK_DISABLED=true`). Default true. */
  enabled?: boolean;
  /** `OTEL_SERVICE_NAME`. Default: package.json name of the working directory, else `unknown_service:node`. */
  serviceName?: string;

  /** `ACTIVITY_CONSOLE`: `narrative` (one readable line per record), `json`, or `off`. Default `narrative`. */
  console?: ConsoleMode;
  /** `ACTIVITY_CONSOLE_LEVEL`. Default `info`. */
  consoleLevel?: ActivityLevelName;
  /** `ACTIVITY_FILE`: JSON lines file path, or `false` (env `off`). Default `logs/activity.log`. */
  file?: string | false;
  /** `ACTIVITY_FILE_LEVEL`. Default `info`. */
  fileLevel?: ActivityLevelName;
  /** `ACTIVITY_FILE_MAX_BYTES`: rotate when the file would grow past this. Default 10485760 (10 MiB). */
  fileMaxBytes?: number;
  /** `ACTIVITY_FILE_BACKUPS`: rotated files kept (`activity.log.1` ...). Default 5. */
  fileBackups?: number;

  /** `ACTIVITY_SLOW_MS`: requests at or above this many milliseconds are WARN. Default 1000. */
  slowMs?: number;
  /** `ACTIVITY_VERY_SLOW_MS`: requests at or above this many milliseconds are ERROR. Default 5000. */
  verySlowMs?: number;
  /** `ACTIVITY_IGNORE_PATHS` (comma-separated): these paths and their sub-paths produce no record. Default `/health,/metrics`. */
  ignorePaths?: string[];
  /** Config-file hook: return true to record nothing for this request. */
  ignore?: (req: IncomingMessage) => boolean;
  /** `ACTIVITY_TRUST_PROXY`: take the client address from `x-forwarded-for`. Default false. */
  trustProxy?: boolean;
  /** `ACTIVITY_REQUEST_ID_HEADER`: request id header read and echoed. Default `x-request-id`. */
  requestIdHeader?: string;
  /** `ACTIVITY_SESSION_COOKIES` (comma-separated): cookies whose digest becomes `session.id`. */
  sessionCookies?: string[];
  /**
   * Config-file hook, called when a request starts: identity the app trusts from the
   * request (a gateway's header, say). Nothing is read from client headers without it.
   */
  identify?: (req: IncomingMessage) => ActivityIdentity | undefined;

  /** `ACTIVITY_MASK`: mask secrets and personal data. Default true. */
  mask?: boolean;
  /** `ACTIVITY_MASK_KEYS` (comma-separated): more keys to mask, on top of the built-in list. */
  maskKeys?: (string | RegExp)[];
  /** Config file: more value patterns to mask wherever they appear. Must be global (`/g`). */
  maskPatterns?: RegExp[];
  /** `ACTIVITY_MAX_VALUE_LENGTH`: longer strings are truncated, in characters. Default 4096. */
  maxValueLength?: number;

  /** `ACTIVITY_EMOJIS`. Default true. */
  emojis?: boolean;
  /** `ACTIVITY_SHOW_USER`: name the user (or client address) in narrative lines. Default true. */
  showUser?: boolean;
  /** `ACTIVITY_SHOW_TIME`: UTC time of day in narrative lines. Default true. */
  showTime?: boolean;
  /** Config file: narrative templates by activity type (`default` for any other type). */
  narrativeTemplates?: Record<string, NarrativeTemplate>;

  /** `ACTIVITY_BANNER`: print one line at start saying what is instrumented and where records go. Default true. */
  banner?: boolean;

  /** Audit trail settings. */
  audit?: AuditOptions;
}

export interface AuditOptions {
  /** `ACTIVITY_AUDIT`: `on` or `off`. Default on (the store opens at the first audit record). */
  enabled?: boolean;
  /** `ACTIVITY_AUDIT_DATABASE_URL`: `postgres://...`. Default: the embedded store in `dataDir`. */
  databaseUrl?: string;
  /** `ACTIVITY_AUDIT_DATA_DIR`: embedded (PGlite) database directory. Default `data/audit`. */
  dataDir?: string;
  /** `ACTIVITY_AUDIT_SPOOL_DIR`: where audit records wait while the database is unreachable. Default `data/audit-spool`. */
  spoolDir?: string;
  /** `ACTIVITY_AUDIT_SPOOL_MAX_BYTES`: bound of the spool on disk. Default 1073741824 (1 GiB). */
  spoolMaxBytes?: number;
  /** `ACTIVITY_AUDIT_RETENTION_DAYS`: purge keeps this many days. Default 90. */
  retentionDays?: number;
  /** `ACTIVITY_AUDIT_HMAC_KEY`: key of the user-id digest in the hash chain. Default: generated once and kept in the database. */
  hmacKey?: string;
  /** `ACTIVITY_AUDIT_BATCH_SIZE`: rows per insert. Default 500. */
  batchSize?: number;
  /** `ACTIVITY_AUDIT_FLUSH_MS`: longest wait before a partial batch is written, in milliseconds. Default 200. */
  flushIntervalMillis?: number;
  /**
   * Code only: the app's own open PGlite database, used as the audit store (instead of
   * `dataDir`), so app data and audit rows can share one transaction. Left open at shutdown.
   */
  pglite?: import('@electric-sql/pglite').PGlite;
  /** Code only: the app's own `pg` Pool on the audit database, instead of opening one. Left open at shutdown. */
  pool?: import('pg').Pool;
}

/** The OTLP side, resolved from the standard `OTEL_*` variables. */
export interface ResolvedOtlpConfig {
  /** Log records exported over OTLP/HTTP (an endpoint is set and `OTEL_LOGS_EXPORTER` is not `none`). */
  logs: boolean;
  /** HTTP spans exported over OTLP/HTTP (an endpoint is set and `OTEL_TRACES_EXPORTER` is not `none`). */
  traces: boolean;
  /** Where logs go, for the start banner. */
  logsEndpoint?: string;
  tracesEndpoint?: string;
  logsProtocol: OtlpProtocol;
  tracesProtocol: OtlpProtocol;
  /** Batch log processor: `OTEL_BLRP_SCHEDULE_DELAY`, `_MAX_QUEUE_SIZE`, `_MAX_EXPORT_BATCH_SIZE`, `_EXPORT_TIMEOUT`. */
  logsBatch: BatchSettings;
  /** Batch span processor: `OTEL_BSP_SCHEDULE_DELAY`, `_MAX_QUEUE_SIZE`, `_MAX_EXPORT_BATCH_SIZE`, `_EXPORT_TIMEOUT`. */
  spansBatch: BatchSettings;
  /** `OTEL_TRACES_SAMPLER` (default parentbased_always_on) and its `OTEL_TRACES_SAMPLER_ARG` ratio. */
  tracesSampler: TracesSamplerName;
  tracesSamplerRatio: number;
}

/** The standard batch processor settings (OpenTelemetry SDK environment variables and defaults). */
export interface BatchSettings {
  /** Milliseconds between exports. Default 1000 (logs) / 5000 (spans). */
  scheduledDelayMillis: number;
  /** Records queued at most; more are dropped and counted. Default 2048. */
  maxQueueSize: number;
  /** Records per export. Default 512. */
  maxExportBatchSize: number;
  /** Milliseconds an export may take. Default 30000. */
  exportTimeoutMillis: number;
}

export type TracesSamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface ResolvedAuditConfig {
  enabled: boolean;
  databaseUrl?: string;
  dataDir: string;
  spoolDir: string;
  spoolMaxBytes: number;
  retentionDays: number;
  hmacKey?: string;
  batchSize: number;
  flushIntervalMillis: number;
}

/** Every setting with its value decided; frozen. */
export interface ResolvedConfig {
  enabled: boolean;
  serviceName: string;
  console: ConsoleMode;
  consoleLevel: ActivityLevelName;
  file: string | false;
  fileLevel: ActivityLevelName;
  fileMaxBytes: number;
  fileBackups: number;
  slowMs: number;
  verySlowMs: number;
  ignorePaths: readonly string[];
  ignore?: (req: IncomingMessage) => boolean;
  trustProxy: boolean;
  requestIdHeader: string;
  sessionCookies: readonly string[];
  identify?: (req: IncomingMessage) => ActivityIdentity | undefined;
  mask: boolean;
  maskKeys: readonly (string | RegExp)[];
  maskPatterns: readonly RegExp[];
  maxValueLength: number;
  emojis: boolean;
  showUser: boolean;
  showTime: boolean;
  narrativeTemplates: Readonly<Record<string, NarrativeTemplate>>;
  banner: boolean;
  otlp: ResolvedOtlpConfig;
  audit: ResolvedAuditConfig;
  /** The config file that was loaded, if any. */
  configFile?: string;
}
