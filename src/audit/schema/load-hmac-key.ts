import { createHmac, randomBytes } from 'node:crypto';
import { ActivityConfigError } from '../../internal/errors.ts';
import type { SqlDriver } from '../driver/SqlDriver.ts';

const KEY_ROW = 'hmac_key';
const CHECK_ROW = 'hmac_key_check';

/**
 * The key of the user digest in the hash chain. With `ACTIVITY_AUDIT_HMAC_KEY` set, only
 * a fingerprint of it is stored, and a different key later is refused (every digest would
 * stop matching). Without it, a random 256-bit key is generated once and kept in
 * `activity_log_meta`: zero setup, but anyone who can read the table can also test
 * guesses of a user id against the digests.
 *
 * @throws ActivityConfigError when the configured key is not the one the database was created with.
 */
export async function loadHmacKey(driver: SqlDriver, configuredKey: string | undefined): Promise<Buffer> {
  let key: Buffer;
  if (configuredKey !== undefined && configuredKey !== '') {
    key = Buffer.from(configuredKey, 'utf8');
  } else {
    const existing = await readMeta(driver);
    if (existing.has(CHECK_ROW) && !existing.has(KEY_ROW)) {
      // Created with a configured key: generating one now would fork the digests.
      throw new ActivityConfigError('ACTIVITY_AUDIT_HMAC_KEY', undefined, 'the key this audit database was created with (it was set then)');
    }
    await driver.query('INSERT INTO activity_log_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      KEY_ROW,
      randomBytes(32).toString('hex'),
    ]);
    key = Buffer.from((await readMeta(driver)).get(KEY_ROW)!, 'hex');
  }
  const check = keyCheck(key);
  await driver.query('INSERT INTO activity_log_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [CHECK_ROW, check]);
  if ((await readMeta(driver)).get(CHECK_ROW) !== check) {
    throw new ActivityConfigError(
      'ACTIVITY_AUDIT_HMAC_KEY',
      configuredKey ? '(hidden)' : undefined,
      'the key this audit database was created with (its fingerprint in activity_log_meta does not match)',
    );
  }
  return key;
}

async function readMeta(driver: SqlDriver): Promise<Map<string, string>> {
  const rows = await driver.query<{ key: string; value: string }>('SELECT key, value FROM activity_log_meta WHERE key IN ($1, $2)', [KEY_ROW, CHECK_ROW]);
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** A fingerprint that identifies the key without revealing it. */
function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('otel-activity audit key check').digest('hex');
}
