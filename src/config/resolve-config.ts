import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActivityLevel, type ActivityLevelName } from '../constants.ts';
import { ActivityConfigError } from '../internal/errors.ts';
import { redactUrl } from '../internal/redact-url.ts';
import { DEFAULTS } from './defaults.ts';
import { type Env, parseBoolean, parseEnum, parseHttpUrl, parseInteger, parseList, readEnv } from './env-parsers.ts';
import { loadConfigFile } from './load-config-file.ts';
import type {
  ActivityOptions,
  AuditOptions,
  BatchSettings,
  ConsoleMode,
  OtlpProtocol,
  ResolvedAuditConfig,
  ResolvedConfig,
  ResolvedOtlpConfig,
  TracesSamplerName,
} from './options.ts';

const LEVELS = Object.values(ActivityLevel);
const CONSOLE_MODES: readonly ConsoleMode[] = ['narrative', 'json', 'off'];
const SAMPLERS: readonly TracesSamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface ResolveConfigInput {
  /** Programmatic options (highest precedence). */
  options?: ActivityOptions;
  /** Defaults to process.env, read now (never cached at import time). */
  env?: Env;
  /** Directory relative paths are resolved against. Defaults to process.cwd(). */
  cwd?: string;
  /** `false` skips the config file; a path overrides `ACTIVITY_CONFIG`. */
  configFile?: string | false;
}

/**
 * Decides every setting once, in one place: options > environment > config file >
 * {@link DEFAULTS}. Throws {@link ActivityConfigError} naming the setting and the
 * expected form when a value is wrong, so a bad deployment fails at start.
 *
 * @returns a frozen {@link ResolvedConfig}.
 */
export function resolveConfig(input: ResolveConfigInput = {}): ResolvedConfig {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const o = input.options ?? {};

  let configFile: string | undefined;
  let file: ActivityOptions = {};
  if (input.configFile !== false) {
    const explicit = input.configFile ?? readEnv(env, 'ACTIVITY_CONFIG');
    const loaded = loadConfigFile(resolve(cwd, explicit ?? DEFAULTS.configFile), explicit !== undefined);
    if (loaded) ({ path: configFile, options: file } = loaded);
  }

  const pick = precedence(o, env, file);
  const bool = (key: keyof ActivityOptions, envName: string, fallback: boolean) =>
    checkType(key, pick(key, envName, (raw) => parseBoolean(envName, raw), fallback), 'boolean', 'true or false');
  const int = (key: keyof ActivityOptions, envName: string, unit: string, fallback: number, min = 0) =>
    checkInteger(key, pick(key, envName, (raw) => parseInteger(envName, raw, unit, min), fallback), unit, min);
  const level = (key: keyof ActivityOptions, envName: string, fallback: ActivityLevelName) =>
    checkOneOf(key, pick(key, envName, (raw) => parseEnum(envName, normalizeLevel(raw), LEVELS), fallback), LEVELS);

  const enabledByEnv = readEnv(env, 'OTEL_SDK_DISABLED');
  const sdkDisabled = enabledByEnv !== undefined && parseBoolean('OTEL_SDK_DISABLED', enabledByEnv);

  const fileSetting = pick<string | false>(
    'file',
    'ACTIVITY_FILE',
    (raw) => (['off', 'false', 'none'].includes(raw.toLowerCase()) ? false : raw),
    DEFAULTS.file,
  );
  if (fileSetting !== false && (typeof fileSetting !== 'string' || fileSetting === '')) {
    throw new ActivityConfigError('file', fileSetting, 'a file path, or false');
  }

  const slowMs = int('slowMs', 'ACTIVITY_SLOW_MS', 'milliseconds', DEFAULTS.slowMs);
  const verySlowMs = int('verySlowMs', 'ACTIVITY_VERY_SLOW_MS', 'milliseconds', DEFAULTS.verySlowMs);
  if (verySlowMs < slowMs) {
    throw new ActivityConfigError('ACTIVITY_VERY_SLOW_MS', verySlowMs, `a number of milliseconds >= ACTIVITY_SLOW_MS (${slowMs})`);
  }

  const config: ResolvedConfig = {
    enabled: !sdkDisabled && bool('enabled', 'ACTIVITY_ENABLED', DEFAULTS.enabled),
    serviceName: resolveServiceName(o, env, file, cwd),
    console: checkOneOf('console', pick('console', 'ACTIVITY_CONSOLE', (raw) => parseEnum('ACTIVITY_CONSOLE', raw, CONSOLE_MODES), DEFAULTS.console as ConsoleMode), CONSOLE_MODES),
    consoleLevel: level('consoleLevel', 'ACTIVITY_CONSOLE_LEVEL', DEFAULTS.consoleLevel),
    file: fileSetting === false ? false : resolve(cwd, fileSetting),
    fileLevel: level('fileLevel', 'ACTIVITY_FILE_LEVEL', DEFAULTS.fileLevel),
    fileMaxBytes: int('fileMaxBytes', 'ACTIVITY_FILE_MAX_BYTES', 'bytes', DEFAULTS.fileMaxBytes, 1),
    fileBackups: int('fileBackups', 'ACTIVITY_FILE_BACKUPS', 'files', DEFAULTS.fileBackups),
    slowMs,
    verySlowMs,
    ignorePaths: Object.freeze(checkStrings('ignorePaths', pick('ignorePaths', 'ACTIVITY_IGNORE_PATHS', parseList, [...DEFAULTS.ignorePaths])).map(normalizePath)),
    ignore: checkFunction('ignore', o.ignore ?? file.ignore),
    trustProxy: bool('trustProxy', 'ACTIVITY_TRUST_PROXY', DEFAULTS.trustProxy),
    requestIdHeader: pick('requestIdHeader', 'ACTIVITY_REQUEST_ID_HEADER', (raw) => raw, DEFAULTS.requestIdHeader as string).toLowerCase(),
    sessionCookies: Object.freeze(checkStrings('sessionCookies', pick('sessionCookies', 'ACTIVITY_SESSION_COOKIES', parseList, [...DEFAULTS.sessionCookies]))),
    identify: checkFunction('identify', o.identify ?? file.identify),
    mask: bool('mask', 'ACTIVITY_MASK', DEFAULTS.mask),
    // Extra mask keys add up from every source: a deployment can only mask more.
    maskKeys: Object.freeze([
      ...(file.maskKeys ?? []),
      ...parseList(readEnv(env, 'ACTIVITY_MASK_KEYS') ?? ''),
      ...(o.maskKeys ?? []),
    ]),
    maskPatterns: Object.freeze(checkPatterns([...(file.maskPatterns ?? []), ...(o.maskPatterns ?? [])])),
    maxValueLength: int('maxValueLength', 'ACTIVITY_MAX_VALUE_LENGTH', 'characters', DEFAULTS.maxValueLength, 16),
    emojis: bool('emojis', 'ACTIVITY_EMOJIS', DEFAULTS.emojis),
    showUser: bool('showUser', 'ACTIVITY_SHOW_USER', DEFAULTS.showUser),
    showTime: bool('showTime', 'ACTIVITY_SHOW_TIME', DEFAULTS.showTime),
    narrativeTemplates: Object.freeze({ ...checkTemplates(file.narrativeTemplates), ...checkTemplates(o.narrativeTemplates) }),
    banner: bool('banner', 'ACTIVITY_BANNER', DEFAULTS.banner),
    otlp: resolveOtlp(env),
    audit: resolveAudit(o, env, file, cwd),
  };
  if (configFile !== undefined) config.configFile = configFile;
  return Object.freeze(config);
}

function resolveOtlp(env: Env): ResolvedOtlpConfig {
  const base = readEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base !== undefined) parseHttpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  const signal = (name: 'LOGS' | 'TRACES', path: string) => {
    const exporterVar = `OTEL_${name}_EXPORTER`;
    const exporters = parseList(readEnv(env, exporterVar) ?? 'otlp').map((e) => e.toLowerCase());
    for (const e of exporters) {
      if (e !== 'otlp' && e !== 'none') throw new ActivityConfigError(exporterVar, readEnv(env, exporterVar), 'otlp or none');
    }
    const specific = readEnv(env, `OTEL_EXPORTER_OTLP_${name}_ENDPOINT`);
    if (specific !== undefined) parseHttpUrl(`OTEL_EXPORTER_OTLP_${name}_ENDPOINT`, specific);
    const endpoint = specific ?? (base === undefined ? undefined : base.replace(/\/+$/, '') + path);
    const protocolVar = readEnv(env, `OTEL_EXPORTER_OTLP_${name}_PROTOCOL`) !== undefined ? `OTEL_EXPORTER_OTLP_${name}_PROTOCOL` : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const rawProtocol = readEnv(env, protocolVar) ?? 'http/protobuf';
    if (rawProtocol !== 'http/protobuf' && rawProtocol !== 'http/json') {
      throw new ActivityConfigError(protocolVar, rawProtocol, 'http/protobuf or http/json (otel-activity exports over OTLP/HTTP; point it at the collector port 4318)');
    }
    return { on: endpoint !== undefined && exporters.includes('otlp') && !exporters.includes('none'), endpoint, protocol: rawProtocol as OtlpProtocol };
  };
  const logs = signal('LOGS', '/v1/logs');
  const traces = signal('TRACES', '/v1/traces');
  const sampler = parseEnum('OTEL_TRACES_SAMPLER', readEnv(env, 'OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on', SAMPLERS);
  const rawRatio = readEnv(env, 'OTEL_TRACES_SAMPLER_ARG');
  const ratio = rawRatio === undefined ? 1 : Number(rawRatio);
  if (sampler.endsWith('traceidratio') && (rawRatio === undefined ? false : !(ratio >= 0 && ratio <= 1))) {
    throw new ActivityConfigError('OTEL_TRACES_SAMPLER_ARG', rawRatio, 'a ratio between 0 and 1');
  }
  const out: ResolvedOtlpConfig = {
    logs: logs.on,
    traces: traces.on,
    logsProtocol: logs.protocol,
    tracesProtocol: traces.protocol,
    logsBatch: batchSettings(env, 'OTEL_BLRP', 1000),
    spansBatch: batchSettings(env, 'OTEL_BSP', 5000),
    tracesSampler: sampler,
    tracesSamplerRatio: ratio,
  };
  if (logs.on) out.logsEndpoint = logs.endpoint!;
  if (traces.on) out.tracesEndpoint = traces.endpoint!;
  return out;
}

/**
 * The precedence of one level of options (the top level, or `audit`): the option in
 * code, else the environment variable (parsed), else the config file, else `fallback`.
 */
function precedence<O extends object>(options: O, env: Env, file: O) {
  return <T>(key: keyof O, envName: string | undefined, parse: (raw: string) => T, fallback: T): T => {
    if (options[key] !== undefined) return options[key] as T;
    const raw = envName === undefined ? undefined : readEnv(env, envName);
    if (raw !== undefined) return parse(raw);
    if (file[key] !== undefined) return file[key] as T;
    return fallback;
  };
}

function batchSettings(env: Env, prefix: 'OTEL_BLRP' | 'OTEL_BSP', defaultDelayMillis: number): BatchSettings {
  const int = (name: string, unit: string, fallback: number, min: number) => {
    const raw = readEnv(env, `${prefix}_${name}`);
    return raw === undefined ? fallback : parseInteger(`${prefix}_${name}`, raw, unit, min);
  };
  const settings: BatchSettings = {
    scheduledDelayMillis: int('SCHEDULE_DELAY', 'milliseconds', defaultDelayMillis, 0),
    maxQueueSize: int('MAX_QUEUE_SIZE', 'records', 2048, 1),
    maxExportBatchSize: int('MAX_EXPORT_BATCH_SIZE', 'records', 512, 1),
    exportTimeoutMillis: int('EXPORT_TIMEOUT', 'milliseconds', 30000, 1),
  };
  if (settings.maxExportBatchSize > settings.maxQueueSize) {
    throw new ActivityConfigError(`${prefix}_MAX_EXPORT_BATCH_SIZE`, settings.maxExportBatchSize, `at most ${prefix}_MAX_QUEUE_SIZE (${settings.maxQueueSize})`);
  }
  return Object.freeze(settings);
}

function resolveAudit(o: ActivityOptions, env: Env, fileOptions: ActivityOptions, cwd: string): ResolvedAuditConfig {
  const D = DEFAULTS.audit;
  const pick = precedence<AuditOptions>(o.audit ?? {}, env, fileOptions.audit ?? {});
  const int = (key: keyof AuditOptions, envName: string, unit: string, fallback: number, min: number) =>
    checkInteger(`audit.${key}`, pick(key, envName, (raw) => parseInteger(envName, raw, unit, min), fallback), unit, min);

  const databaseUrl = pick<string | undefined>('databaseUrl', 'ACTIVITY_AUDIT_DATABASE_URL', (raw) => raw, undefined);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ActivityConfigError('ACTIVITY_AUDIT_DATABASE_URL', redactUrl(databaseUrl), 'a postgres:// or postgresql:// URL');
  }
  const hmacKey = pick<string | undefined>('hmacKey', 'ACTIVITY_AUDIT_HMAC_KEY', (raw) => raw, undefined);
  if (hmacKey !== undefined && hmacKey.length < 16) {
    throw new ActivityConfigError('ACTIVITY_AUDIT_HMAC_KEY', '<redacted>', 'a secret of at least 16 characters');
  }
  const out: ResolvedAuditConfig = {
    enabled: checkType('audit.enabled', pick('enabled', 'ACTIVITY_AUDIT', (raw) => parseBoolean('ACTIVITY_AUDIT', raw), D.enabled as boolean), 'boolean', 'on or off'),
    dataDir: resolve(cwd, pick('dataDir', 'ACTIVITY_AUDIT_DATA_DIR', (raw) => raw, D.dataDir as string)),
    spoolDir: resolve(cwd, pick('spoolDir', 'ACTIVITY_AUDIT_SPOOL_DIR', (raw) => raw, D.spoolDir as string)),
    spoolMaxBytes: int('spoolMaxBytes', 'ACTIVITY_AUDIT_SPOOL_MAX_BYTES', 'bytes', D.spoolMaxBytes, 1024),
    retentionDays: int('retentionDays', 'ACTIVITY_AUDIT_RETENTION_DAYS', 'days', D.retentionDays, 1),
    batchSize: int('batchSize', 'ACTIVITY_AUDIT_BATCH_SIZE', 'rows', D.batchSize, 1),
    flushIntervalMillis: int('flushIntervalMillis', 'ACTIVITY_AUDIT_FLUSH_MS', 'milliseconds', D.flushIntervalMillis, 1),
  };
  if (databaseUrl !== undefined) out.databaseUrl = databaseUrl;
  if (hmacKey !== undefined) out.hmacKey = hmacKey;
  return Object.freeze(out);
}

function resolveServiceName(o: ActivityOptions, env: Env, file: ActivityOptions, cwd: string): string {
  const fromResourceAttributes = readEnv(env, 'OTEL_RESOURCE_ATTRIBUTES')
    ?.split(',')
    .map((kv) => kv.split('='))
    .find(([k]) => k?.trim() === 'service.name')?.[1]
    ?.trim();
  return o.serviceName ?? readEnv(env, 'OTEL_SERVICE_NAME') ?? (fromResourceAttributes ? decodeURIComponent(fromResourceAttributes) : undefined) ?? file.serviceName ?? packageName(cwd) ?? 'unknown_service:node';
}

function packageName(cwd: string): string | undefined {
  try {
    const name = JSON.parse(readFileSync(resolve(cwd, 'package.json'), 'utf8')).name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

function normalizeLevel(raw: string): string {
  const v = raw.toLowerCase();
  return v === 'warning' ? 'warn' : v === 'critical' ? 'fatal' : v;
}

function normalizePath(p: string): string {
  if (!p.startsWith('/')) throw new ActivityConfigError('ACTIVITY_IGNORE_PATHS', p, 'comma-separated paths that start with /');
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}


function checkType<T>(name: string, value: T, type: string, expected: string): T {
  if (typeof value !== type) throw new ActivityConfigError(name, value, expected);
  return value;
}

function checkInteger(name: string, value: unknown, unit: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ActivityConfigError(name, value, `a whole number of ${unit} >= ${min}`);
  }
  return value;
}

function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new ActivityConfigError(name, value, `one of ${allowed.join(', ')}`);
  return value as T;
}

function checkStrings(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ActivityConfigError(name, value, 'an array of strings');
  return value;
}

function checkFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ActivityConfigError(name, typeof value, 'a function');
  return value;
}

function checkPatterns(patterns: unknown[]): RegExp[] {
  for (const p of patterns) {
    if (!(p instanceof RegExp) || !p.global) throw new ActivityConfigError('maskPatterns', String(p), 'regular expressions with the g flag');
  }
  return patterns as RegExp[];
}

function checkTemplates(templates: unknown): Record<string, never> {
  if (templates === undefined) return {};
  if (typeof templates !== 'object' || templates === null) throw new ActivityConfigError('narrativeTemplates', templates, 'an object of functions by activity type');
  for (const [k, v] of Object.entries(templates)) {
    if (typeof v !== 'function') throw new ActivityConfigError(`narrativeTemplates.${k}`, typeof v, 'a function (view) => string');
  }
  return templates as Record<string, never>;
}
