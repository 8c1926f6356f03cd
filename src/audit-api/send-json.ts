import type { ServerResponse } from 'node:http';
import type { AuditApiError } from './AuditApiError.ts';

/** Headers on every answer: audit data is never cached by browsers or proxies. */
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** Answers with a JSON body (dates as ISO strings); does nothing if the response has already started. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Answers `{ error: { code, message } }` with the error's status and headers. */
export function sendError(res: ServerResponse, error: AuditApiError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, { ...error.headers });
}

/** Starts a streamed answer (an export) with the common headers, sent at once: the client sees 200 before the first rows are read. */
export function startStream(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, { ...COMMON_HEADERS, ...headers });
  res.flushHeaders();
}
