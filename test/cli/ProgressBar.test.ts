import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/ProgressBar.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 60, write: (c: string) => writes.push(c) }, writes };
}

describe('ProgressBar', () => {
  describe('update', () => {
    it('should draw nothing when the stream is not a terminal', () => {
      const { stream, writes } = fakeStream(false);
      let now = 0;
      const bar = new ProgressBar(stream, 'export', { now: () => now });
      now = 10_000;
      bar.update(5, 10);
      bar.finish();
      expect(writes).toEqual([]);
    });

    it('should wait for the delay, then redraw in place at most once per interval', () => {
      const { stream, writes } = fakeStream(true);
      let now = 0;
      const bar = new ProgressBar(stream, 'verify', { now: () => now, delayMillis: 300, intervalMillis: 100 });
      now = 200;
      bar.update(1_000, 10_000);
      expect(writes).toEqual([]);
      now = 300;
      bar.update(2_500, 10_000);
      now = 350;
      bar.update(3_000, 10_000);
      now = 400;
      bar.update(10_000, 10_000);
      expect(writes).toHaveLength(2);
      expect(writes[0]).toMatch(/^\r\x1b\[2Kverify  \[#+\.+\]  25%  2,500\/10,000$/);
      expect(writes[1]).toMatch(/^\r\x1b\[2Kverify  \[#+\]  100%  10,000\/10,000$/);
      expect(writes.every((w) => w.length - 5 <= 59)).toBe(true);
    });

    it('should show an indeterminate line when the total is unknown (1)', () => {
      const { stream, writes } = fakeStream(true);
      let now = 0;
      const bar = new ProgressBar(stream, 'purge', { now: () => now });
      now = 2_000;
      bar.update(0, 1);
      expect(writes).toEqual(['\r\x1b[2Kpurge  working… 2s']);
    });
  });

  describe('finish', () => {
    it('should erase a drawn bar, and write nothing if none was drawn', () => {
      const { stream, writes } = fakeStream(true);
      let now = 0;
      const bar = new ProgressBar(stream, 'export', { now: () => now });
      bar.finish();
      expect(writes).toEqual([]);
      now = 1_000;
      bar.update(1, 2);
      bar.finish();
      expect(writes.at(-1)).toBe('\r\x1b[2K');
    });
  });
});
