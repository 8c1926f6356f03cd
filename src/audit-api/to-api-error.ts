import { ActivityError, ErrorCode } from '../internal/errors.ts';
import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import { isStoreUnreachable } from './is-store-unreachable.ts';


/**
 * The answer for an error a route raised: its own {@link AuditApiError}; 400 for a
 * malformed query the store refused (INVALID_QUERY, a bad option); 503 when the store is
 * closed or its database unreachable; else 500, whose details stay out of the response.
 */
export function toApiError(error: unknown): { apiError: AuditApiError; unexpected: boolean } {
  if (error instanceof AuditApiError) return { apiError: error, unexpected: false };
  if (error instanceof ActivityError) {
    if (error.code === ErrorCode.INVALID_QUERY || error.code === ErrorCode.INVALID_CONFIG) {
      return { apiError: new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, stripPrefix(error.message)), unexpected: false };
    }
    if (error.code === ErrorCode.AUDIT_UNAVAILABLE) {
      return { apiError: unavailable(), unexpected: true };
    }
  }
  if (isStoreUnreachable(error)) return { apiError: unavailable(), unexpected: true };
  return { apiError: new AuditApiError(500, AuditApiErrorCode.INTERNAL, 'internal error'), unexpected: true };
}

function unavailable(): AuditApiError {
  return new AuditApiError(503, AuditApiErrorCode.UNAVAILABLE, 'the audit store is unavailable', { 'retry-after': '5' });
}

function stripPrefix(message: string): string {
  return message.replace(/^otel-activity: /, '');
}
