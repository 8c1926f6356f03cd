import type { OtlpEncoding } from '../src/otlp/otlp-encoding-of.ts';

/** google.rpc.Status codes used in error bodies (https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto). */
export const RpcCode = Object.freeze({ INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNAUTHENTICATED: 16, UNAVAILABLE: 14, INTERNAL: 13 } as const);

/** A response body and its content type. */
export interface OtlpBody {
  contentType: string;
  body: Buffer;
}

/**
 * The body of a successful OTLP/HTTP export (`ExportLogsServiceResponse`), in the
 * request's encoding; `rejected` > 0 adds `partial_success` (the sender must not retry those).
 */
export function exportLogsResponse(encoding: OtlpEncoding, rejected = 0, errorMessage = ''): OtlpBody {
  if (encoding === 'json') {
    const body = rejected > 0 ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage } } : {};
    return { contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) };
  }
  if (rejected === 0) return { contentType: 'application/x-protobuf', body: Buffer.alloc(0) };
  // partial_success (1) { rejected_log_records (1, int64), error_message (2, string) }
  const inner = Buffer.concat([varintField(1, rejected), stringField(2, errorMessage)]);
  return { contentType: 'application/x-protobuf', body: Buffer.concat([tag(1, 2), varint(inner.length), inner]) };
}

/** An error body (`google.rpc.Status`), in the request's encoding (JSON when it is unknown). */
export function statusBody(encoding: OtlpEncoding | undefined, code: number, message: string): OtlpBody {
  if (encoding !== 'protobuf') return { contentType: 'application/json', body: Buffer.from(JSON.stringify({ code, message })) };
  return { contentType: 'application/x-protobuf', body: Buffer.concat([varintField(1, code), stringField(2, message)]) };
}

function tag(field: number, wireType: number): Buffer {
  return varint((field << 3) | wireType);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function varintField(field: number, value: number): Buffer {
  return Buffer.concat([tag(field, 0), varint(value)]);
}

function stringField(field: number, value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([tag(field, 2), varint(bytes.length), bytes]);
}
