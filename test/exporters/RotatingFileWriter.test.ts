import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LineEncoder, RotatingFileWriter } from '../../src/exporters/RotatingFileWriter.ts';
import { stats } from '../../src/internal/stats.ts';

describe('RotatingFileWriter', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rotating-'));
    path = join(dir, 'activity.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Every line of the file and its backups, oldest file first. */
  function allLines(): string[] {
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('activity.log'))
      .sort((a, b) => suffix(b) - suffix(a));
    return files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== ''));
  }
  const suffix = (f: string) => (f === 'activity.log' ? 0 : Number(f.split('.').pop()));

  describe('write', () => {
    it('should lose, split or interleave no line when many writers race through rotations', async () => {
      const writer = new RotatingFileWriter({ path, maxBytes: 8_000, backups: 1000 });
      const writers = 25;
      const linesEach = 400;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < linesEach; i++) {
            writer.write(JSON.stringify({ w, i, pad: 'x'.repeat((w * 7 + i) % 90), text: 'é ✓ 🔌' }));
            if (i % 7 === 0) await new Promise((r) => setImmediate(r));
          }
        }),
      );
      await writer.close();

      const lines = allLines();
      expect(lines).toHaveLength(writers * linesEach);
      const seen = new Set(lines.map((l) => { const o = JSON.parse(l); return `${o.w}:${o.i}`; }));
      expect(seen.size).toBe(writers * linesEach);
      // Each writer's lines are in its own order across the rotated files.
      for (let w = 0; w < writers; w++) {
        const order = lines.map((l) => JSON.parse(l)).filter((o) => o.w === w).map((o) => o.i);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      const files = readdirSync(dir);
      expect(files.length).toBeGreaterThan(50);
      for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(8_000);
    });

    it('should keep only the configured number of backups, newest first', async () => {
      const writer = new RotatingFileWriter({ path, maxBytes: 100, backups: 2 });
      for (let i = 0; i < 50; i++) writer.write(`line ${String(i).padStart(4, '0')} ${'-'.repeat(20)}`);
      await writer.close();
      expect(readdirSync(dir).sort()).toEqual(['activity.log', 'activity.log.1', 'activity.log.2']);
      const lines = allLines();
      expect(lines.at(-1)).toMatch(/^line 0049/);
      expect(readFileSync(`${path}.1`, 'utf8') < readFileSync(path, 'utf8')).toBe(true);
    });

    it('should give a line larger than the limit a file of its own rather than cut it', async () => {
      const writer = new RotatingFileWriter({ path, maxBytes: 50, backups: 5 });
      writer.write('short');
      writer.write('y'.repeat(200));
      writer.write('after');
      await writer.close();
      expect(allLines()).toEqual(['short', 'y'.repeat(200), 'after']);
    });

    it('should keep nothing of a line whose encoder throws, and go on with the next', async () => {
      const writer = new RotatingFileWriter({ path, maxBytes: 1000 });
      writer.write('before');
      expect(() =>
        writer.writeWith((out) => {
          out.reserve(5);
          out.pos += out.buf.write('half', out.pos);
          throw new Error('encoder failed');
        }, undefined),
      ).toThrow('encoder failed');
      writer.write('after');
      await writer.close();
      expect(readFileSync(path, 'utf8')).toBe('before\nafter\n');
    });

    it('should move a line that outgrows the pending buffer to a new one, whole', async () => {
      const writer = new RotatingFileWriter({ path, maxBytes: 10_000_000 });
      const lines = Array.from({ length: 300 }, (_, i) => `${i} ${'z'.repeat(1000 + i)} ✓`);
      for (const line of lines) writer.write(line);
      await writer.close();
      expect(readFileSync(path, 'utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
    });

    it('should append to an existing file and count its size', async () => {
      let writer = new RotatingFileWriter({ path, maxBytes: 1000 });
      writer.write('first run');
      await writer.close();
      writer = new RotatingFileWriter({ path, maxBytes: 1000 });
      writer.write('second run');
      await writer.close();
      expect(readFileSync(path, 'utf8')).toBe('first run\nsecond run\n');
    });
  });

  describe('writeLater', () => {
    /** Encodes a string value as its line, counting the calls. */
    function countingEncoder(): LineEncoder<string> & { calls: number } {
      const encode = Object.assign(
        (out: Parameters<LineEncoder<string>>[0], line: string) => {
          encode.calls++;
          out.reserve(line.length * 3);
          out.pos += out.buf.write(line, out.pos);
        },
        { calls: 0 },
      );
      return encode;
    }

    it('should keep the order of lines queued now and lines queued for later, through rotations', async () => {
      const writer = new RotatingFileWriter({ path, maxBytes: 2_000, backups: 1000 });
      const encode = countingEncoder();
      const expected: string[] = [];
      for (let i = 0; i < 3000; i++) {
        const line = `${i} ${'w'.repeat(i % 40)}`;
        expected.push(line);
        if (i % 5 === 0) writer.write(line);
        else writer.writeLater(encode, line);
        if (i % 97 === 0) await new Promise((r) => setImmediate(r));
      }
      await writer.close();
      expect(allLines()).toEqual(expected);
      for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2_000);
    });

    it('should encode at the write, and at once when 128 values wait', async () => {
      const writer = new RotatingFileWriter({ path });
      const encode = countingEncoder();
      for (let i = 0; i < 127; i++) writer.writeLater(encode, `line ${i}`);
      expect(encode.calls).toBe(0);
      writer.writeLater(encode, 'line 127');
      expect(encode.calls).toBe(128); // the queue holds at most a batch
      writer.writeLater(encode, 'line 128');
      await writer.flush();
      expect(encode.calls).toBe(129);
      expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(129);
      await writer.close();
    });

    it('should reach the disk without a flush, within the write interval', async () => {
      const writer = new RotatingFileWriter({ path });
      writer.writeLater(countingEncoder(), 'on its own');
      await new Promise((r) => setTimeout(r, 200));
      expect(readFileSync(path, 'utf8')).toBe('on its own\n');
      await writer.close();
    });

    it('should lose only the line whose encoder throws, and count it as failed', async () => {
      const writer = new RotatingFileWriter({ path });
      const failedBefore = stats.failed;
      writer.writeLater(countingEncoder(), 'before');
      writer.writeLater(() => {
        throw new Error('encoder failed');
      }, 'lost');
      writer.writeLater(countingEncoder(), 'after');
      await writer.close();
      expect(readFileSync(path, 'utf8')).toBe('before\nafter\n');
      expect(stats.failed - failedBefore).toBe(1);
    });
  });

  describe('flushSync', () => {
    it('should write what is queued before the process exits', () => {
      const writer = new RotatingFileWriter({ path });
      writer.write('queued');
      expect(existsSync(path) ? readFileSync(path, 'utf8') : '').toBe('');
      writer.flushSync();
      expect(readFileSync(path, 'utf8')).toBe('queued\n');
    });

    it('should encode and write the values queued for later', () => {
      const writer = new RotatingFileWriter({ path });
      writer.writeLater((out, line: string) => {
        out.reserve(line.length);
        out.pos += out.buf.write(line, out.pos);
      }, 'later');
      writer.flushSync();
      expect(readFileSync(path, 'utf8')).toBe('later\n');
    });
  });
});
