/** Node's UTF-8 write into a Buffer (what `buf.write(text, offset)` calls, minus its argument juggling). */
export interface Utf8Writer {
  utf8Write(text: string, offset: number): number;
}

/** Strings shorter than this are copied by a loop while they are ASCII; longer ones by Node's UTF-8 writer. */
const NATIVE_MIN_LENGTH = 16;

/** Puts `text` as UTF-8 at `p` (room for three bytes per code unit made); returns the end. */
export function putUtf8(buf: Buffer, p: number, text: string): number {
  const n = text.length;
  if (n < NATIVE_MIN_LENGTH) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buf[p + i] = c;
    }
    if (i === n) return p + n;
  }
  return p + (buf as Buffer & Utf8Writer).utf8Write(text, p);
}
