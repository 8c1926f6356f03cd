import { RandomBytePool } from './RandomBytePool.ts';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = new RandomBytePool(16 * 256);
let lastMillis = -1;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then 74 random bits. Ids made in the
 * same millisecond by this process stay in order (a 12-bit counter in `rand_a`), so an
 * audit table ordered by event id is ordered by time.
 *
 * @param nowMillis the timestamp to encode; defaults to `Date.now()`.
 */
export function uuidv7(nowMillis: number = Date.now()): string {
  const at = pool.take(16);
  const bytes = pool.bytes.subarray(at, at + 16);

  let ms = nowMillis;
  let seq: number;
  if (ms === lastMillis) {
    seq = sequence = (sequence + 1) & 0xfff;
    if (seq === 0) ms = lastMillis = lastMillis + 1; // counter overflow: borrow the next millisecond
  } else if (ms > lastMillis) {
    lastMillis = ms;
    seq = sequence = ((bytes[6]! & 0x07) << 8) | bytes[7]!; // start low so the counter has room
  } else {
    seq = ((bytes[6]! & 0x0f) << 8) | bytes[7]!; // an explicit past time: encode it as given
  }
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((seq >>> 8) & 0x0f);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);

  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i]!];
  }
  return out;
}

/** The Unix milliseconds encoded in a UUIDv7. */
export function uuidv7Millis(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
