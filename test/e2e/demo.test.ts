import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run demo`, into a temporary directory instead of logs/ and data/. */
describe('the demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should tell the three journeys, fill the activity log, and end with summaries, a trail and a verified chain', () => {
    const file = join(dir, 'activity.log');
    const result = spawnSync(process.execPath, ['examples/run-demo.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ACTIVITY_FILE: file, ACTIVITY_AUDIT_DATA_DIR: join(dir, 'audit'), ACTIVITY_AUDIT_SPOOL_DIR: join(dir, 'spool') },
      encoding: 'utf8',
      timeout: 150_000, // alone it takes about 10 s; beside the other test files on two cores it once took over 60 s
    });
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/\[INFO\] 📍 Anonymous user from 127\.0\.0\.1 navigated to '\/' at \d\d:\d\d:\d\d/);
    expect(out).toMatch(/\[INFO\] 📋 User alice logged in at /);
    expect(out).toMatch(/\[WARN\] 🔐 Anonymous user from 127\.0\.0\.1 performed 'login' at .* Login failed/);
    expect(out).toMatch(/\[ERROR\] ❌ User bob encountered error: 'TypeError: Cannot read properties of undefined \(reading 'price'\)'/);
    expect(out).toMatch(/\[WARN\] 🔌 User alice made API call to 'GET \/reports\/slow'/);
    expect(out).toMatch(/^ {2}alice +\d+ records/m);
    expect(out).toMatch(/^ {2}bob +\d+ records .*2 ERROR/m);
    expect(out).toMatch(/^ {2}anonymous \(127\.0\.0\.1\) +\d+ records/m);
    expect(out).toMatch(/^ {2}# +1 .* LOGIN /m);
    expect(out).toContain('verify: every hash chain holds');
    expect(out).not.toContain('wonderland-2024'); // Alice's password appears nowhere
    expect(result.stderr).not.toMatch(/otel-activity: .*(failed|ignored)/);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.session.user_id === 'alice').length).toBeGreaterThan(10);
    expect(readFileSync(file, 'utf8')).not.toContain('wonderland-2024');
  });
});
