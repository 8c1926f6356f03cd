import { describe, expect, it } from 'vitest';
import { resolveSinkConfig, SINK_DEFAULTS } from '../../collector/sink-config.ts';
import { ActivityConfigError } from '../../src/internal/errors.ts';

const cwd = '/srv/sink';

describe('resolveSinkConfig', () => {
  it('should apply the defaults', () => {
    const config = resolveSinkConfig({}, cwd);

    expect(config).toMatchObject({ port: 4319, host: '0.0.0.0', maxBodyBytes: 16 * 1024 * 1024, retryAfterSeconds: 5, verifyIntervalMillis: 3_600_000 });
    expect(config.token).toBeUndefined();
    expect(config.audit).toMatchObject({ enabled: true, dataDir: '/srv/sink/data/audit' });
    expect(SINK_DEFAULTS.port).toBe(config.port);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('should read ACTIVITY_SINK_* and the audit store settings from the environment', () => {
    const config = resolveSinkConfig(
      {
        ACTIVITY_SINK_PORT: '9000',
        ACTIVITY_SINK_HOST: '127.0.0.1',
        ACTIVITY_SINK_MAX_BODY_BYTES: '2048',
        ACTIVITY_SINK_TOKEN: 'a-long-enough-token',
        ACTIVITY_SINK_RETRY_AFTER_SECONDS: '30',
        ACTIVITY_SINK_VERIFY_INTERVAL_MS: '0',
        ACTIVITY_AUDIT_DATABASE_URL: 'postgres://activity@db:5432/activity',
      },
      cwd,
    );

    expect(config).toMatchObject({ port: 9000, host: '127.0.0.1', maxBodyBytes: 2048, token: 'a-long-enough-token', retryAfterSeconds: 30, verifyIntervalMillis: 0 });
    expect(config.audit.databaseUrl).toBe('postgres://activity@db:5432/activity');
  });

  it.each([
    [{ ACTIVITY_SINK_PORT: 'http' }, 'ACTIVITY_SINK_PORT'],
    [{ ACTIVITY_SINK_PORT: '70000' }, 'ACTIVITY_SINK_PORT'],
    [{ ACTIVITY_SINK_MAX_BODY_BYTES: '10' }, 'ACTIVITY_SINK_MAX_BODY_BYTES'],
    [{ ACTIVITY_SINK_TOKEN: 'short' }, 'ACTIVITY_SINK_TOKEN'],
    [{ ACTIVITY_AUDIT: 'off' }, 'ACTIVITY_AUDIT'],
    [{ ACTIVITY_AUDIT_DATABASE_URL: 'mysql://db' }, 'ACTIVITY_AUDIT_DATABASE_URL'],
  ])('should throw ActivityConfigError naming the setting for %j', (env, setting) => {
    let error: unknown;
    try {
      resolveSinkConfig(env, cwd);
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(ActivityConfigError);
    expect((error as ActivityConfigError).setting).toBe(setting);
  });

  it('should never echo the token in its error', () => {
    expect(() => resolveSinkConfig({ ACTIVITY_SINK_TOKEN: 'tiny-secret' }, cwd)).toThrow(/<redacted>/);
    expect(() => resolveSinkConfig({ ACTIVITY_SINK_TOKEN: 'tiny-secret' }, cwd)).not.toThrow(/tiny-secret/);
  });
});
