import { performance } from 'node:perf_hooks';

/**
 * `performance.timeOrigin` (milliseconds since the epoch), read once: the getter checks
 * its receiver on every read, once per record, and the origin of a process never changes.
 * A record's time is `TIME_ORIGIN + performance.now()`.
 */
export const TIME_ORIGIN = performance.timeOrigin;
