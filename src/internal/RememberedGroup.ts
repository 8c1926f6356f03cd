import type { ByteSink } from './ByteSink.ts';

/** Longer runs of bytes are not remembered (a copy per new value would cost more than it saves). */
export const MAX_REMEMBERED_BYTES = 512;

/**
 * A copy of the bytes just written at `from..to` of `buf` (which is reused), to put again
 * later; undefined when they are too long to be worth it.
 */
export function keptBytes(buf: Uint8Array, from: number, to: number): Uint8Array | undefined {
  return to - from <= MAX_REMEMBERED_BYTES ? Uint8Array.prototype.slice.call(buf, from, to) : undefined;
}

/**
 * Consecutive members of a line whose values often all repeat from line to line (the
 * same client, page and answer): their last values and, once the same values came twice
 * in a row, the bytes they were written as, put with one copy instead of member by
 * member (a member's name and value cost two copies and a comparison). See
 * {@link rememberedGroupBytes}. The JSON line, the narrative and the OTLP
 * encoder each keep their own groups.
 */
export class RememberedGroup {
  /** The values of the last line, as compared (arrays copied). */
  readonly values: unknown[];
  bytes: Uint8Array | undefined = undefined;
  /** The values matched the last line's and no bytes are kept yet: {@link keepGroupBytes} keeps those written next. */
  keepNext = false;

  constructor(size: number) {
    this.values = new Array<unknown>(size).fill(undefined);
  }
}

/** Where a line writer sets a group's values before {@link rememberedGroupBytes} (no array allocated per line). */
export const GROUP_VALUES: unknown[] = [];

/**
 * The bytes of `group` when its values (set in {@link GROUP_VALUES}, as many as the
 * group has) are the last line's and were written twice in a row; otherwise undefined,
 * and the values are taken as the group's last ones. Strings, numbers, booleans and
 * arrays of them compare by value; any other object never matches (a map can change
 * under the same reference).
 */
export function rememberedGroupBytes(group: RememberedGroup): Uint8Array | undefined {
  const last = group.values;
  let same = true;
  for (let i = 0; i < last.length; i++) {
    const value = GROUP_VALUES[i];
    if (!sameValue(value, last[i])) {
      same = false;
      last[i] = Array.isArray(value) ? value.slice() : value;
    }
  }
  if (same) {
    if (group.bytes === undefined) group.keepNext = true;
    return group.bytes;
  }
  group.bytes = undefined;
  group.keepNext = false;
  return undefined;
}

/**
 * After a miss of {@link rememberedGroupBytes}: keeps the bytes the group was just
 * written as (at `from..to` of `buf`) when they are wanted, and when the line has not
 * moved to another buffer meanwhile (`out.buf` is still `buf`).
 */
export function keepGroupBytes(group: RememberedGroup, out: ByteSink, buf: Buffer, from: number, to: number): void {
  if (!group.keepNext) return;
  group.keepNext = false;
  if (out.buf === buf) group.bytes = keptBytes(buf, from, to);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return a === null || typeof a !== 'object';
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const item = a[i];
    if (item !== b[i] || (item !== null && typeof item === 'object')) return false;
  }
  return true;
}
