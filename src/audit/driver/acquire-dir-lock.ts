import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActivityError, ErrorCode } from '../../internal/errors.ts';

const LOCK_FILE = 'otel-activity.pid';

/**
 * Claims an embedded database directory for this process (PGlite is single-process: two
 * processes writing one directory corrupt it). A lock left by a process that no longer
 * runs is taken over.
 *
 * @returns a function that releases the lock.
 * @throws ActivityError AUDIT_UNAVAILABLE when a live process (or this one) holds it.
 */
export function acquireDirLock(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new ActivityError(
          ErrorCode.AUDIT_UNAVAILABLE,
          `otel-activity: the embedded audit database ${dir} is open in process ${holder}${holder === process.pid ? ' (this one)' : ''}. ` +
            'It serves one process; set ACTIVITY_AUDIT_DATABASE_URL to share a PostgreSQL database.',
        );
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new ActivityError(ErrorCode.AUDIT_UNAVAILABLE, `otel-activity: could not lock the embedded audit database ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
