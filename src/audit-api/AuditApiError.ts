/** Codes of the audit API's error bodies `{ error: { code, message } }`, by HTTP status. */
export const AuditApiErrorCode = Object.freeze({
  /** 400: a query parameter, cursor or path segment of the wrong form. */
  INVALID_QUERY: 'INVALID_QUERY',
  /** 401: `authorize` returned nothing. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** 403: the caller's role may not do this (another tenant, purge, anonymise). */
  FORBIDDEN: 'FORBIDDEN',
  /** 404: no such route, or no such event in the caller's scope. */
  NOT_FOUND: 'NOT_FOUND',
  /** 405: the route exists, the method does not (see the `Allow` header). */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** 503: the audit store cannot be reached, or could not record the read. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** 500: anything else (details go to diag, not to the client). */
  INTERNAL: 'INTERNAL',
} as const);
export type AuditApiErrorCodeName = (typeof AuditApiErrorCode)[keyof typeof AuditApiErrorCode];

/** An error the audit API answers with its status and `{ error: { code, message } }`. */
export class AuditApiError extends Error {
  readonly status: number;
  readonly code: AuditApiErrorCodeName;
  /** Extra response headers (`Allow` for 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: AuditApiErrorCodeName, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AuditApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}
