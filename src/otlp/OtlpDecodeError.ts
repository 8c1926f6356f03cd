/**
 * A request body that is not a well-formed OTLP `ExportLogsServiceRequest`:
 * truncated or invalid protobuf, invalid JSON, or values of the wrong shape.
 * The audit sink answers it with HTTP 400 (the sender must not retry it).
 */
export class OtlpDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`malformed OTLP logs request: ${message}`, options);
    this.name = 'OtlpDecodeError';
  }
}
