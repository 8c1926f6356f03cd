import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The preload tests spawn apps that load the built package (`otel-activity/register`
 * resolves to dist/), so dist must match src: build it when it is missing or stale.
 */
export default function setup(): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist', 'register.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newestMtime(join(root, 'src'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
}
