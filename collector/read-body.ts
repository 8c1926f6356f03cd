import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** The body exceeded the limit (HTTP 413). */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** A Content-Encoding the sink does not undo (HTTP 415). */
export class UnsupportedEncodingError extends Error {
  constructor(encoding: string) {
    super(`unsupported content encoding ${JSON.stringify(encoding)}`);
    this.name = 'UnsupportedEncodingError';
  }
}

/** The body could not be decompressed (HTTP 400). */
export class CorruptBodyError extends Error {
  constructor(cause: unknown) {
    super('request body could not be decompressed', { cause });
    this.name = 'CorruptBodyError';
  }
}

const DECODERS: Record<string, (buf: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Reads a request body of at most `maxBytes`, both on the wire and once decompressed
 * (gzip, deflate or br), so neither a large upload nor a compression bomb can exhaust
 * memory. A declared Content-Length over the limit fails before anything is read.
 *
 * @throws BodyTooLargeError, UnsupportedEncodingError, CorruptBodyError
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decode = encoding === 'identity' || encoding === '' ? undefined : DECODERS[encoding];
  if (encoding !== 'identity' && encoding !== '' && decode === undefined) throw new UnsupportedEncodingError(encoding);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  if (decode === undefined) return raw;
  try {
    return decode(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    // zlib refuses to produce more than maxOutputLength with a RangeError.
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(maxBytes);
    throw new CorruptBodyError(err);
  }
}
