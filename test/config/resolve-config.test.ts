import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve-config.ts';
import { ActivityConfigError } from '../../src/internal/errors.ts';
import { VERSION } from '../../src/version.ts';
import pkg from '../../package.json' with { type: 'json' };

describe('resolveConfig', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));
  const resolve = (env: Record<string, string> = {}, options = {}) => resolveConfig({ env, cwd, options });

  it('should apply the documented defaults', () => {
    const c = resolve();
    expect(c).toMatchObject({
      enabled: true,
      serviceName: 'unknown_service:node',
      console: 'narrative',
      consoleLevel: 'info',
      file: join(cwd, 'logs/activity.log'),
      fileLevel: 'info',
      fileMaxBytes: 10485760,
      fileBackups: 5,
      slowMs: 1000,
      verySlowMs: 5000,
      ignorePaths: ['/health', '/metrics'],
      trustProxy: false,
      requestIdHeader: 'x-request-id',
      mask: true,
      maxValueLength: 4096,
      emojis: true,
      showUser: true,
      showTime: true,
      banner: true,
      otlp: { logs: false, traces: false, logsProtocol: 'http/protobuf', tracesSampler: 'parentbased_always_on' },
      audit: { enabled: true, dataDir: join(cwd, 'data/audit'), retentionDays: 90, batchSize: 500 },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('should read every ACTIVITY_* variable', () => {
    const c = resolve({
      ACTIVITY_CONSOLE: 'json',
      ACTIVITY_CONSOLE_LEVEL: 'WARNING',
      ACTIVITY_FILE: 'off',
      ACTIVITY_FILE_MAX_BYTES: '2048',
      ACTIVITY_FILE_BACKUPS: '0',
      ACTIVITY_SLOW_MS: '200',
      ACTIVITY_VERY_SLOW_MS: '900',
      ACTIVITY_IGNORE_PATHS: '/ping, /internal/',
      ACTIVITY_TRUST_PROXY: 'true',
      ACTIVITY_MASK: 'false',
      ACTIVITY_MASK_KEYS: 'iban,dob',
      ACTIVITY_EMOJIS: 'off',
      ACTIVITY_SHOW_USER: 'no',
      ACTIVITY_SHOW_TIME: '0',
      ACTIVITY_SESSION_COOKIES: 'app_session',
      ACTIVITY_AUDIT: 'off',
      ACTIVITY_AUDIT_DATABASE_URL: 'postgres://app@db/audit',
      ACTIVITY_AUDIT_RETENTION_DAYS: '30',
      OTEL_SERVICE_NAME: 'billing',
    });
    expect(c).toMatchObject({
      console: 'json',
      consoleLevel: 'warn',
      file: false,
      fileMaxBytes: 2048,
      fileBackups: 0,
      slowMs: 200,
      verySlowMs: 900,
      ignorePaths: ['/ping', '/internal'],
      trustProxy: true,
      mask: false,
      maskKeys: ['iban', 'dob'],
      emojis: false,
      showUser: false,
      showTime: false,
      sessionCookies: ['app_session'],
      serviceName: 'billing',
      audit: { enabled: false, databaseUrl: 'postgres://app@db/audit', retentionDays: 30 },
    });
  });

  it('should rank options over environment over config file over defaults', () => {
    writeFileSync(join(cwd, 'otel-activity.config.mjs'), 'export default { slowMs: 300, verySlowMs: 9000, emojis: false, maskKeys: ["fromFile"] };');
    const c = resolve({ ACTIVITY_SLOW_MS: '400', ACTIVITY_MASK_KEYS: 'fromEnv' }, { slowMs: 500, maskKeys: ['fromCode'] });
    expect(c.slowMs).toBe(500);
    expect(c.verySlowMs).toBe(9000);
    expect(c.emojis).toBe(false);
    expect(c.maskKeys).toEqual(['fromFile', 'fromEnv', 'fromCode']);
    expect(c.configFile).toBe(join(cwd, 'otel-activity.config.mjs'));
  });

  it('should name the variable and the expected form when a value is wrong', () => {
    const cases: [Record<string, string>, string][] = [
      [{ ACTIVITY_SLOW_MS: 'fast' }, 'ACTIVITY_SLOW_MS="fast" is invalid: expected a whole number of milliseconds >= 0'],
      [{ ACTIVITY_CONSOLE: 'loud' }, 'ACTIVITY_CONSOLE="loud" is invalid: expected one of narrative, json, off'],
      [{ ACTIVITY_MASK: 'maybe' }, 'ACTIVITY_MASK="maybe" is invalid: expected true or false'],
      [{ ACTIVITY_FILE_LEVEL: 'chatty' }, 'ACTIVITY_FILE_LEVEL="chatty" is invalid: expected one of debug, info, warn, error, fatal'],
      [{ ACTIVITY_SLOW_MS: '2000', ACTIVITY_VERY_SLOW_MS: '1000' }, 'ACTIVITY_VERY_SLOW_MS=1000 is invalid: expected a number of milliseconds >= ACTIVITY_SLOW_MS (2000)'],
      [{ ACTIVITY_IGNORE_PATHS: 'health' }, 'ACTIVITY_IGNORE_PATHS="health" is invalid: expected comma-separated paths that start with /'],
      [{ ACTIVITY_AUDIT_DATABASE_URL: 'mysql://root:pw@db/x' }, 'ACTIVITY_AUDIT_DATABASE_URL="mysql://<credentials>@db/x" is invalid: expected a postgres:// or postgresql:// URL'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is invalid: expected an absolute http:// or https:// URL'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is invalid: expected http/protobuf or http/json'],
      [{ OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER="sometimes" is invalid: expected one of always_on'],
      [{ OTEL_BLRP_MAX_QUEUE_SIZE: '-1' }, 'OTEL_BLRP_MAX_QUEUE_SIZE="-1" is invalid: expected a whole number of records >= 1'],
    ];
    for (const [env, message] of cases) {
      const error = (() => {
        try {
          resolve(env);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(env)).toBeInstanceOf(ActivityConfigError);
      expect((error as ActivityConfigError).code).toBe('ACTIVITY_ERR_INVALID_CONFIG');
      expect((error as Error).message).toContain(message);
    }
  });

  it('should turn OTLP on from the standard endpoint variables, per signal', () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlp).toMatchObject({
      logs: true,
      traces: true,
      logsEndpoint: 'http://collector:4318/v1/logs',
      tracesEndpoint: 'http://collector:4318/v1/traces',
    });
    expect(resolve({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://loki:3100/otlp/v1/logs' }).otlp).toMatchObject({ logs: true, traces: false, logsEndpoint: 'http://loki:3100/otlp/v1/logs' });
    expect(resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).otlp).toMatchObject({ logs: true, traces: false });
  });

  it('should be off entirely with OTEL_SDK_DISABLED or ACTIVITY_ENABLED=false', () => {
    expect(resolve({ OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(resolve({ ACTIVITY_ENABLED: 'false' }).enabled).toBe(false);
  });

  it('should take the service name from package.json when nothing names it', () => {
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'orders-api' }));
    expect(resolve().serviceName).toBe('orders-api');
    expect(resolve({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes' }).serviceName).toBe('from-attributes');
  });

  it('should refuse a named config file that does not exist, and one that exports no object', () => {
    expect(() => resolve({ ACTIVITY_CONFIG: 'missing.mjs' })).toThrow(/ACTIVITY_CONFIG=.*missing\.mjs" does not exist/);
    writeFileSync(join(cwd, 'bad.config.mjs'), 'export default 42;');
    expect(() => resolve({ ACTIVITY_CONFIG: 'bad.config.mjs' })).toThrow(/must export an options object/);
    writeFileSync(join(cwd, 'hooks.config.mjs'), 'export default { identify: "not a function" };');
    expect(() => resolve({ ACTIVITY_CONFIG: 'hooks.config.mjs' })).toThrow('identify="string" is invalid: expected a function');
  });

  it('should report the package version', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
