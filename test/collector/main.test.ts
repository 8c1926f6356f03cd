import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

const MAIN = fileURLToPath(new URL('../../collector/main.ts', import.meta.url));

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('activity_sink_main');
  dir = mkdtempSync(join(tmpdir(), 'otel-activity-sink-main-'));
});

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  return { child, output: () => output };
}

describe('node collector/main.ts', () => {
  it('should serve OTLP and health on the configured port and stop cleanly on SIGTERM', async () => {
    // Trust auth ignores the password; the sink must still never print it.
    const withPassword = db.url.replace('postgres://root@', 'postgres://root:pg-secret-pw@');
    const { child, output } = run({ ACTIVITY_AUDIT_DATABASE_URL: withPassword, ACTIVITY_SINK_PORT: '0', ACTIVITY_SINK_HOST: '127.0.0.1', ACTIVITY_SINK_VERIFY_INTERVAL_MS: '0' });
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /on (http:\/\/[\d.]+:\d+)/.exec(output())?.[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, output()).toBeDefined();
    let health = 0;
    for (let i = 0; i < 100 && health !== 200; i++) {
      health = (await fetch(`${url}/health`)).status;
      if (health !== 200) await new Promise((r) => setTimeout(r, 100));
    }

    expect(health).toBe(200);
    expect(output()).toMatch(/audit store: postgres postgres:\/\/<credentials>@127\.0\.0\.1/);
    expect(output()).not.toContain('pg-secret-pw');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 30_000);

  it('should exit 1 and name the setting when the configuration is wrong', async () => {
    const { child, output } = run({ ACTIVITY_SINK_PORT: 'eighty' });
    const [code] = await once(child, 'exit');

    expect(code).toBe(1);
    expect(output()).toContain('ACTIVITY_SINK_PORT="eighty" is invalid');
  });
});
