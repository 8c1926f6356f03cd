/** The two OTLP/HTTP body encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/**
 * The OTLP/HTTP encoding a `Content-Type` header names: `application/x-protobuf`
 * (also `application/protobuf`) or `application/json`, parameters such as
 * `; charset=utf-8` ignored. `undefined` for anything else (HTTP 415).
 */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = contentType?.split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}
