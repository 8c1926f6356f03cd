import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import type { ActivityOptions } from './options.ts';

const requireFromHere = createRequire(import.meta.url);

/**
 * Loads the config file (`otel-activity.config.mjs` by default) synchronously, so
 * the preload works with both `--import` and `--require` and its hooks are in place
 * before the app serves a request. ES modules load through `require(esm)` (Node >=
 * 22.12), so the file must not use top-level await.
 *
 * @param required true when the path was named explicitly (`ACTIVITY_CONFIG`): a
 *   missing file is then an error instead of "no config file".
 */
export function loadConfigFile(path: string, required: boolean): { path: string; options: ActivityOptions } | undefined {
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new ActivityError(ErrorCode.CONFIG_FILE, `otel-activity: ACTIVITY_CONFIG=${JSON.stringify(path)} does not exist: expected the path of a config module (.mjs, .cjs or .js)`);
  }
  let mod: unknown;
  try {
    mod = requireFromHere(path);
  } catch (cause) {
    throw new ActivityError(ErrorCode.CONFIG_FILE, `otel-activity: cannot load config file ${path}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
  const exported = (mod as { default?: unknown } | null)?.default ?? mod;
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) {
    throw new ActivityError(ErrorCode.CONFIG_FILE, `otel-activity: config file ${path} must export an options object (export default { ... })`);
  }
  return { path, options: exported as ActivityOptions };
}
