import type { IncomingMessage } from 'node:http';
import type { ActivityScope } from '../context/ActivityScope.ts';
import { clientAddressOf } from '../instrumentation/request-facts.ts';
import type { ActivityFields } from './ActivityFields.ts';
import type { TextCleaner } from './create-text-cleaner.ts';

/** Who sent the request: client address, user agent, referer (cleaned). */
export function addClientFields(f: ActivityFields, req: IncomingMessage, clean: TextCleaner, trustProxy: boolean): void {
  const clientAddress = clientAddressOf(req, trustProxy);
  if (clientAddress !== undefined) f.clientAddress = clean(clientAddress);
  const headers = req.headers;
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) f.userAgent = clean(userAgent);
  const referer = headers.referer;
  if (referer !== undefined) f.referer = clean(referer);
}

/** Identity the app bound (or the session cookie's digest), cleaned. */
export function addIdentityFields(f: ActivityFields, scope: ActivityScope, clean: TextCleaner, cookieSession: string | undefined): void {
  const sessionId = scope.sessionId ?? cookieSession;
  if (sessionId !== undefined) f.sessionId = clean(sessionId);
  const user = scope.user;
  if (user !== undefined) {
    f.userId = clean(user.id);
    if (user.name !== undefined) f.userName = clean(user.name);
    if (user.roles !== undefined) f.userRoles = user.roles.map(clean);
  }
  if (scope.tenantId !== undefined) f.tenantId = clean(scope.tenantId);
}
