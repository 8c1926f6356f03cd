import type { DecodedLogRecord } from './DecodedLogRecord.ts';
import { OtlpDecodeError } from './OtlpDecodeError.ts';
import { decodeLogsJson } from './decode-logs-json.ts';
import { decodeLogsProtobuf } from './decode-logs-protobuf.ts';
import { otlpEncodingOf } from './otlp-encoding-of.ts';

/**
 * Decodes the body of an OTLP/HTTP `POST /v1/logs` (an `ExportLogsServiceRequest`)
 * into flat log records, each carrying its resource and scope. Binary protobuf and
 * OTLP/JSON are both read, chosen by `contentType`. The body must already be
 * decompressed: the caller undoes `Content-Encoding` so that it can bound the
 * decompressed size.
 *
 * @param body the raw request body.
 * @param contentType the request's `Content-Type` header.
 * @throws {OtlpDecodeError} when the body is malformed or the content type is not an OTLP encoding.
 */
export function decodeLogsRequest(body: Uint8Array, contentType: string | undefined): DecodedLogRecord[] {
  const encoding = otlpEncodingOf(contentType);
  if (encoding === 'protobuf') return decodeLogsProtobuf(body);
  if (encoding === 'json') return decodeLogsJson(body);
  throw new OtlpDecodeError(`unsupported content type ${JSON.stringify(contentType ?? '')}`);
}
