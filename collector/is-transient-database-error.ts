/**
 * Whether a failed append may succeed if retried unchanged: the database is down,
 * restarting, overloaded, or the transaction lost a race (connection errors, SQLSTATE
 * classes 08, 40, 53, 55, 57, 58, and anything without a SQLSTATE, such as
 * ECONNREFUSED). Data errors (classes 22 and 23) are not: the same rows would fail again.
 * Anything else (permissions, a missing table) is treated as transient too, so that an
 * operator's fix lets the queued records through instead of losing them.
 */
export function isTransientDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return !(code.startsWith('22') || code.startsWith('23'));
}
