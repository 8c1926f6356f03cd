import type { ResolvedAuditConfig } from '../src/config/options.ts';
import { type Env, parseInteger, readEnv } from '../src/config/env-parsers.ts';
import { resolveConfig } from '../src/config/resolve-config.ts';
import { ActivityConfigError } from '../src/internal/errors.ts';

/** Defaults of the audit sink, with their units. */
export const SINK_DEFAULTS = Object.freeze({
  /** TCP port (the collector's otlp_http/audit exporter targets it). */
  port: 4319,
  host: '0.0.0.0',
  /** bytes (16 MiB): the most a request body may hold, after decompression. */
  maxBodyBytes: 16 * 1024 * 1024,
  /** seconds: the Retry-After of a 503 while the database is down. */
  retryAfterSeconds: 5,
  /** milliseconds (1 h) between chain verifications; 0 turns them off. */
  verifyIntervalMillis: 60 * 60 * 1000,
  /** milliseconds between attempts to open the store while the database is unreachable. */
  reopenIntervalMillis: 2000,
});

/** The resolved settings of the audit sink; frozen. */
export interface SinkConfig {
  /** `ACTIVITY_SINK_PORT`. Default 4319. */
  port: number;
  /** `ACTIVITY_SINK_HOST`. Default `0.0.0.0` (all interfaces: it runs in a container). */
  host: string;
  /** `ACTIVITY_SINK_MAX_BODY_BYTES`: larger bodies get 413, compressed or not. Default 16777216 (16 MiB). */
  maxBodyBytes: number;
  /** `ACTIVITY_SINK_TOKEN`: when set, `POST /v1/logs` needs `Authorization: Bearer <token>` (else 401). Default unset. */
  token?: string;
  /** `ACTIVITY_SINK_RETRY_AFTER_SECONDS`. Default 5. */
  retryAfterSeconds: number;
  /** `ACTIVITY_SINK_VERIFY_INTERVAL_MS`: chain verification period, in milliseconds; 0 = off. Default 3600000 (1 h). */
  verifyIntervalMillis: number;
  /** Milliseconds between attempts to open the store while the database is unreachable. Default 2000. */
  reopenIntervalMillis: number;
  /** The audit store settings (`ACTIVITY_AUDIT_DATABASE_URL`, `ACTIVITY_AUDIT_HMAC_KEY`, ...), as the SDK resolves them. */
  audit: ResolvedAuditConfig;
}

/**
 * Reads the sink's settings from the environment, and the audit store's through the
 * project's `resolveConfig` (no config file: the sink is not an app).
 *
 * @throws ActivityConfigError naming the variable when a value is of the wrong form,
 *   or when the audit store is turned off (`ACTIVITY_AUDIT=off`).
 */
export function resolveSinkConfig(env: Env = process.env, cwd: string = process.cwd()): SinkConfig {
  const audit = resolveConfig({ env, cwd, configFile: false }).audit;
  if (!audit.enabled) throw new ActivityConfigError('ACTIVITY_AUDIT', readEnv(env, 'ACTIVITY_AUDIT'), 'on: the audit sink exists to write the audit store');
  const int = (name: string, unit: string, fallback: number, min: number) => {
    const raw = readEnv(env, name);
    return raw === undefined ? fallback : parseInteger(name, raw, unit, min);
  };
  const port = int('ACTIVITY_SINK_PORT', 'port number', SINK_DEFAULTS.port, 0);
  if (port > 65535) throw new ActivityConfigError('ACTIVITY_SINK_PORT', port, 'a port number 0-65535');
  const config: SinkConfig = {
    port,
    host: readEnv(env, 'ACTIVITY_SINK_HOST') ?? SINK_DEFAULTS.host,
    maxBodyBytes: int('ACTIVITY_SINK_MAX_BODY_BYTES', 'bytes', SINK_DEFAULTS.maxBodyBytes, 1024),
    retryAfterSeconds: int('ACTIVITY_SINK_RETRY_AFTER_SECONDS', 'seconds', SINK_DEFAULTS.retryAfterSeconds, 1),
    verifyIntervalMillis: int('ACTIVITY_SINK_VERIFY_INTERVAL_MS', 'milliseconds', SINK_DEFAULTS.verifyIntervalMillis, 0),
    reopenIntervalMillis: SINK_DEFAULTS.reopenIntervalMillis,
    audit,
  };
  const token = readEnv(env, 'ACTIVITY_SINK_TOKEN');
  if (token !== undefined) {
    if (token.length < 16) throw new ActivityConfigError('ACTIVITY_SINK_TOKEN', '<redacted>', 'a secret of at least 16 characters');
    config.token = token;
  }
  return Object.freeze(config);
}
