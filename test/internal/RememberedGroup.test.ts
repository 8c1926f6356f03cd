import { describe, expect, it } from 'vitest';
import { GrowableByteSink } from '../../src/internal/ByteSink.ts';
import { GROUP_VALUES, keepGroupBytes, MAX_REMEMBERED_BYTES, RememberedGroup, rememberedGroupBytes } from '../../src/internal/RememberedGroup.ts';

describe('RememberedGroup', () => {
  /** One line's turn: look the values up; on a miss, "write" `text` and keep it if wanted. What the line got. */
  function turn(group: RememberedGroup, values: unknown[], text: string, sink = new GrowableByteSink(64)): { copied: boolean; bytes: string } {
    values.forEach((v, i) => (GROUP_VALUES[i] = v));
    const bytes = rememberedGroupBytes(group);
    if (bytes !== undefined) return { copied: true, bytes: Buffer.from(bytes).toString() };
    const from = sink.pos;
    sink.reserve(text.length);
    sink.pos += sink.buf.write(text, from);
    keepGroupBytes(group, sink, sink.buf, from, sink.pos);
    return { copied: false, bytes: text };
  }

  it('should copy the bytes from the third line with the same values on, and write again when a value changes', () => {
    const group = new RememberedGroup(2);
    const copied = ['a', 'a', 'a', 'a', 'b', 'b', 'b'].map((v) => turn(group, [v, 200], `"x":"${v}",`));
    expect(copied.map((c) => c.copied)).toEqual([false, false, true, true, false, false, true]);
    expect(copied.map((c) => c.bytes)).toEqual(['"x":"a",', '"x":"a",', '"x":"a",', '"x":"a",', '"x":"b",', '"x":"b",', '"x":"b",']);
  });

  it('should compare arrays item by item, and not be fooled by an array changed in place', () => {
    const group = new RememberedGroup(1);
    const roles = ['admin', 'ops'];
    expect(turn(group, [roles], 'r1').copied).toBe(false);
    expect(turn(group, [['admin', 'ops']], 'r1').copied).toBe(false); // equal items: kept now
    expect(turn(group, [roles], 'r1').copied).toBe(true);
    roles.push('root');
    expect(turn(group, [roles], 'r2').copied).toBe(false);
  });

  it('should never match a map, even the same object (it may have changed)', () => {
    const group = new RememberedGroup(1);
    const map = { a: 1 };
    expect([1, 2, 3].map(() => turn(group, [map], 'm').copied)).toEqual([false, false, false]);
    expect([1, 2, 3].map(() => turn(group, [null], 'n').copied)).toEqual([false, false, true]);
  });

  it('should not keep bytes written across a move of the line to another buffer', () => {
    const group = new RememberedGroup(1);
    turn(group, ['v'], 'first');
    GROUP_VALUES[0] = 'v';
    expect(rememberedGroupBytes(group)).toBeUndefined(); // wanted: the next write is kept…
    const sink = new GrowableByteSink(4);
    const before = sink.buf;
    sink.reserve(64); // …but the line moved meanwhile
    sink.pos += sink.buf.write('first', 0);
    keepGroupBytes(group, sink, before, 0, sink.pos);
    expect(turn(group, ['v'], 'first').copied).toBe(false);
  });

  it('should not keep bytes longer than MAX_REMEMBERED_BYTES, and write them each time', () => {
    const group = new RememberedGroup(1);
    const long = 'x'.repeat(MAX_REMEMBERED_BYTES + 1);
    expect([1, 2, 3, 4].map(() => turn(group, ['v'], long, new GrowableByteSink(1024)).copied)).toEqual([false, false, false, false]);
    const short = 'x'.repeat(MAX_REMEMBERED_BYTES);
    expect([1, 2, 3].map(() => turn(group, ['w'], short, new GrowableByteSink(1024)).copied)).toEqual([false, false, true]);
  });
});
