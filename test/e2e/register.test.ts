import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, runApp } from '../support/run-app.ts';

/** The preload, as users run it: `node --import otel-activity/register app.mjs`. */
describe('otel-activity/register', () => {
  let dir: string;
  let logFile: string;
  const env = () => ({ ACTIVITY_FILE: logFile, OTEL_SERVICE_NAME: 'preload-test', ACTIVITY_AUDIT: 'off' });
  const fileRecords = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'preload-'));
    logFile = join(dir, 'activity.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should instrument an ESM node:http app with --import, say so at start, and flush on SIGTERM', async () => {
    const app = await runApp(['--import', 'otel-activity/register', 'http-app.mjs'], env());
    expect(app.stderr()).toMatch(/^otel-activity \d+\.\d+\.\d+: instrumented node:http\/https servers for service "preload-test"; records go to console \(narrative\), file .*activity\.log$/m);
    expect((await fetch(`${app.base}/login`)).status).toBe(200);
    expect(await app.stop('SIGTERM')).toBe('SIGTERM');

    const records = fileRecords();
    expect(records.map((r) => r.event)).toEqual(['activity.auth', 'activity.api_call']);
    expect(records[1].session.user_id).toBe('esm-user');
    expect(records[1].service).toBe('preload-test');
    expect(app.stdout()).toMatch(/\[INFO\] 🔌 User esm-user made API call to 'GET \/login' at \d\d:\d\d:\d\d → ✅ Result: HTTP 200 SUCCESS/);
  });

  it('should instrument a CommonJS Express app with --require, thrown errors included', async () => {
    const app = await runApp(['--require', 'otel-activity/register', 'express-app.cjs'], env());
    expect(app.stderr()).toContain('instrumented node:http/https servers');
    expect((await fetch(`${app.base}/items/7`)).status).toBe(200);
    expect((await fetch(`${app.base}/fail`)).status).toBe(500);
    expect(await app.stop('SIGTERM')).toBe('SIGTERM');

    const records = fileRecords();
    const item = records.find((r) => r.context.url === '/items/7');
    expect(item.session.user_id).toBe('cjs-user');
    expect(item.context.route).toBe('/items/:id');
    const error = records.find((r) => r.event === 'activity.error');
    expect(error.error).toMatchObject({ type: 'RangeError', message: 'express handler failed' });
  });

  it('should instrument a Fastify ESM app with --import', async () => {
    const app = await runApp(['--import', 'otel-activity/register', 'fastify-app.mjs'], env());
    expect((await fetch(`${app.base}/things/9`)).status).toBe(200);
    await app.stop('SIGTERM');
    const [record] = fileRecords();
    expect(record.context.route).toBe('/things/:id');
    expect(record.session.tenant_id).toBe('org-fastify');
  });

  it('should record a request whose handler crashes the process, before the process dies', async () => {
    const app = await runApp(['--import', 'otel-activity/register', 'http-app.mjs'], env());
    await fetch(`${app.base}/crash`).catch(() => undefined);
    expect(await app.exited).toBe(1);
    const records = fileRecords();
    expect(records.map((r) => r.event)).toEqual(['activity.api_call', 'activity.error']);
    expect(records[0].action.result).toBe('ABORTED (the process exited first)');
    expect(records[0].level).toBe('ERROR');
    expect(records[1].error).toMatchObject({ type: 'Error', message: 'handler crashed with password=hu*******r2' });
    expect(records[1].context.url).toBe('/crash');
  });

  it('should write an action recorded just before process.exit(), and the request it was in', async () => {
    const app = await runApp(['--import', 'otel-activity/register', 'http-app.mjs'], env());
    await fetch(`${app.base}/exit`).catch(() => undefined);
    expect(await app.exited).toBe(3);
    const records = fileRecords();
    expect(records.map((r) => [r.event, r.action.description])).toEqual([
      ['activity.click', 'last words'],
      ['activity.api_call', 'GET /exit'],
    ]);
    expect(records[1].action.result).toBe('ABORTED (the process exited first)');
  });

  it('should refuse to start on a bad setting, naming it and the expected form', () => {
    const result = spawnSync(process.execPath, ['--import', 'otel-activity/register', 'http-app.mjs'], {
      cwd: FIXTURES,
      env: { ...env(), ACTIVITY_SLOW_MS: 'fast', PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('otel-activity: ACTIVITY_SLOW_MS="fast" is invalid: expected a whole number of milliseconds >= 0');
    expect(result.stdout).not.toContain('LISTENING');
  });

  it('should load neither a database driver nor undici at start, with the audit store on', () => {
    // What a process pays at start for the preload: the audit drivers (pg, PGlite) load
    // when a store first opens, and node:http is required, not imported (its ES module
    // facade loads undici).
    const report = 'console.log(JSON.stringify({ modules: globalThis.resolvedModules, builtins: process.moduleLoadList }))';
    const result = spawnSync(process.execPath, ['--import', './record-resolved.mjs', '--import', 'otel-activity/register', '-e', report], {
      cwd: FIXTURES,
      env: { ...env(), ACTIVITY_AUDIT: 'on', ACTIVITY_AUDIT_DATA_DIR: join(dir, 'audit'), PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.stderr).toContain('instrumented node:http/https servers');
    const { modules, builtins } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { modules: string[]; builtins: string[] };
    expect(modules.some((url) => url.includes('/dist/register.js'))).toBe(true);
    expect(modules.filter((url) => /\/node_modules\/(pg|pg-[a-z]+|@electric-sql\/pglite)\//.test(url))).toEqual([]);
    expect(builtins.filter((name) => name.includes('undici'))).toEqual([]);
    expect(existsSync(join(dir, 'audit'))).toBe(false);
  });

  it('should take identity from headers only when the config file opts in', async () => {
    const headers = { 'x-gateway-user': 'gw-user', 'x-gateway-tenant': 'gw-tenant' };
    const plain = await runApp(['--import', 'otel-activity/register', 'http-app.mjs'], env());
    await fetch(`${plain.base}/`, { headers });
    await plain.stop();
    expect(fileRecords()[0].session.user_id).toBeUndefined();

    rmSync(logFile);
    const configFile = join(dir, 'gateway.config.mjs');
    copyFileSync(join(FIXTURES, 'identify.config.mjs'), configFile);
    const configured = await runApp(['--import', 'otel-activity/register', 'http-app.mjs'], { ...env(), ACTIVITY_CONFIG: configFile });
    expect(configured.stderr()).toContain(`config file ${configFile}`);
    await fetch(`${configured.base}/`, { headers });
    await configured.stop();
    const [record] = fileRecords();
    expect(record.session).toMatchObject({ user_id: 'gw-user', tenant_id: 'gw-tenant' });
    expect(record.narrative).toBe('User gw-user hit GET /');
  });
});
