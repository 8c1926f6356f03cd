import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from '../../src/otlp/ProtobufWriter.ts';

/** The bytes `hex` writes as field 1: tag, length, then the decoded id. */
function hexField(text: string): Buffer {
  const w = new ProtobufWriter(16);
  w.hex(1, text);
  return Buffer.from(w.finish());
}

describe('ProtobufWriter#hex', () => {
  it('should write a trace id as its 16 bytes, after the tag and the length', () => {
    const id = '0af7651916cd43dd8448eb211c80319c';
    expect(hexField(id)).toEqual(Buffer.concat([Buffer.from([0x0a, 16]), Buffer.from(id, 'hex')]));
  });

  it.each([
    ['upper case', '00F067AA0BA902B7'],
    ['a pair that is not hex, then zeros', '00f067zz0ba902b7'],
    ['a bad first digit', 'g0f067aa0ba902b7'],
    ['a bad second digit of the last pair', '00f067aa0ba902bx'],
    ['non-ASCII text', '00f067aa0ba902é7'],
    ['an odd length (the last digit is dropped)', '00f067aa0ba902b7f'],
    ['the empty string', ''],
  ])('should decode %s as Buffer.from(hex, "hex") does', (_, text) => {
    const expected = Buffer.alloc(text.length >> 1);
    expected.write(text, 'hex');
    expect(hexField(text).subarray(2)).toEqual(expected);
  });
});
