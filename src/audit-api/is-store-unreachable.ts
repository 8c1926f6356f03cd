/** Socket errors, and PostgreSQL's connection-exception class (08) and shutdown codes (57P0x). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '3D000', '28000', '28P01']);

/**
 * True when an error means the audit database cannot be reached (refused, timed out, shut
 * down, unknown database, refused login), as opposed to a failed query.
 */
export function isStoreUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // Node reports a refused connection to every address of a host as an AggregateError.
  if (error instanceof AggregateError && error.errors.some(isStoreUnreachable)) return true;
  // pg's pool reports a connect timeout only in its message.
  return error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}
