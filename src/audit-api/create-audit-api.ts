import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditStore } from '../audit/AuditStore.ts';
import { ActivityConfigError, ActivityError, ErrorCode } from '../internal/errors.ts';
import { reportError } from '../internal/report-error.ts';
import { createMasker } from '../masking/create-masker.ts';
import { ADMIN_ROLE, type AuditApiAuthorize, type AuditApiCaller } from './AuditApiCaller.ts';
import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { matchRoute, type MatchedRoute } from './match-route.ts';
import { recordApiEvent } from './record-api-event.ts';
import { checkQueryNames } from './request-params.ts';
import { sendError } from './send-json.ts';
import { toApiError } from './to-api-error.ts';

/** Settings of {@link createAuditApi}. */
export interface AuditApiOptions {
  /** The audit store to serve (`openAuditStore(config.audit)`); the API writes its own read events into it too. */
  store: AuditStore;
  /** Required: decides who is calling (see {@link AuditApiAuthorize}). Without it the API refuses to start. */
  authorize: AuditApiAuthorize;
  /** Largest `limit` a caller may ask for on `GET /events`. Default 500 (the store's maximum); 1..500. */
  maxLimit?: number;
  /**
   * Path prefix the API is mounted under on a plain `http` server, e.g. `/audit`; requests
   * outside it go to `next` (or get 404). Default none: Express's `app.use('/audit', api)`
   * already strips its mount path.
   */
  basePath?: string;
}

/** A plain Node request handler; usable as `http.createServer(api)` or Express middleware `app.use('/audit', api)`. */
export type AuditApiHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** Serves a request whose URL relative to the mount point is known (the Fastify adapter's entry). */
export const SERVE_RELATIVE: unique symbol = Symbol('otel-activity.auditApi.serveRelative');

/** The handler with the entry adapters use. */
export type AuditApiHandlerWithEntry = AuditApiHandler & { [SERVE_RELATIVE](req: IncomingMessage, res: ServerResponse, relativeUrl: string): Promise<void> };

const MAX_LIMIT = 500;

/**
 * The audit trail over HTTP, as a plain Node request handler: `GET /events` (filters,
 * paginated), `GET /events/:id`, `GET /statistics`, `GET /export?format=csv|json`,
 * `DELETE /events?olderThanDays=N`, `POST /users/:id/anonymize`, `GET /verify`,
 * `GET /actions|/categories|/levels`, relative to where it is mounted.
 *
 * Every request goes through `authorize(req)` first: no caller = 401. Queries are scoped to
 * the caller's tenant; only the `admin` role may name another tenant (`?tenant=`, or read
 * all), purge or anonymise (else 403, and the attempt is audited). Every read appends a
 * READ (or EXPORT) event about itself to the store before the data is handed out. Answers
 * are JSON; errors are `{ error: { code, message } }` with 400, 401, 403, 404, 405, 500 or
 * 503. The handler never throws or rejects into the host: failures are answered and
 * reported through diag (`internalErrors`, `hookErrors`).
 *
 * @throws ActivityError NO_AUTHORIZE_HOOK when `authorize` is missing (the API refuses to
 *   start rather than serve the audit trail to anyone); ActivityConfigError for a bad
 *   `store`, `maxLimit` or `basePath`.
 */
export function createAuditApi(options: AuditApiOptions): AuditApiHandler {
  if (typeof options?.authorize !== 'function') {
    throw new ActivityError(
      ErrorCode.NO_AUTHORIZE_HOOK,
      'otel-activity: createAuditApi needs an authorize(req) hook returning { tenantId, role, userId }: without one the audit API refuses to start',
    );
  }
  const { store, authorize } = options;
  if (store === null || typeof store !== 'object' || typeof store.search !== 'function' || typeof store.append !== 'function') {
    throw new ActivityConfigError('store', typeof store, 'an AuditStore (from openAuditStore)');
  }
  const maxLimit = options.maxLimit ?? MAX_LIMIT;
  if (!Number.isSafeInteger(maxLimit) || maxLimit < 1 || maxLimit > MAX_LIMIT) {
    throw new ActivityConfigError('maxLimit', maxLimit, `a whole number from 1 to ${MAX_LIMIT}`);
  }
  const basePath = normalizeBasePath(options.basePath);
  const masker = createMasker();

  const serve = async (req: IncomingMessage, res: ServerResponse, relativeUrl: string): Promise<void> => {
    let route: MatchedRoute | undefined;
    let r: AuditApiRequest | undefined;
    try {
      // Split by hand: `new URL` would read a path starting with // as a host.
      const q = relativeUrl.indexOf('?');
      const pathname = q === -1 ? relativeUrl : relativeUrl.slice(0, q);
      const query = new URLSearchParams(q === -1 ? '' : relativeUrl.slice(q + 1));
      route = matchRoute(req.method ?? 'GET', pathname);
      const caller = await callerOf(req, authorize);
      const isAdmin = caller.role === ADMIN_ROLE;
      if (!isAdmin && (typeof caller.tenantId !== 'string' || caller.tenantId === '')) {
        throw new AuditApiError(403, AuditApiErrorCode.FORBIDDEN, 'the caller has no tenant; only an admin may read without one');
      }
      r = { req, res, route: route.name, query, params: route.params, caller, isAdmin, store, maxLimit, masker };
      checkQueryNames(query, route.method.params, route.name);
      await route.method.handle(r);
    } catch (error) {
      const { apiError, unexpected } = toApiError(error);
      if (unexpected && !(error instanceof AuditApiError)) reportError('internalErrors', 'audit API', error);
      if (apiError.status === 403 && r !== undefined && route !== undefined) await recordForbidden(r, route, apiError);
      if (res.headersSent) res.destroy();
      else sendError(res, apiError);
    }
  };

  const handler = ((req, res, next) => {
    try {
      const relative = relativeUrlOf(req.url ?? '/', basePath);
      if (relative === undefined) {
        if (next) next();
        else sendError(res, new AuditApiError(404, AuditApiErrorCode.NOT_FOUND, `no route ${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`));
        return;
      }
      serve(req, res, relative).catch((error) => reportError('internalErrors', 'audit API', error));
    } catch (error) {
      reportError('internalErrors', 'audit API', error);
    }
  }) as AuditApiHandlerWithEntry;
  handler[SERVE_RELATIVE] = serve;
  return handler;
}

/** Runs the hook; 401 when it returns nothing, 500 (counted as a hook error) when it throws or returns no role. */
async function callerOf(req: IncomingMessage, authorize: AuditApiAuthorize): Promise<AuditApiCaller> {
  let caller: AuditApiCaller | null | undefined;
  try {
    caller = await authorize(req);
  } catch (error) {
    reportError('hookErrors', 'audit API authorize hook', error);
    throw new AuditApiError(500, AuditApiErrorCode.INTERNAL, 'authorization failed');
  }
  if (caller === null || caller === undefined) throw new AuditApiError(401, AuditApiErrorCode.UNAUTHORIZED, 'authentication required');
  if (typeof caller !== 'object' || typeof caller.role !== 'string') {
    reportError('hookErrors', 'audit API authorize hook', new TypeError('authorize(req) must return { tenantId, role, userId? } or nothing'));
    throw new AuditApiError(500, AuditApiErrorCode.INTERNAL, 'authorization failed');
  }
  return caller;
}

/** A denied attempt is a security signal: it goes into the caller's tenant chain, outcome failure. */
async function recordForbidden(r: AuditApiRequest, route: MatchedRoute, error: AuditApiError): Promise<void> {
  try {
    await recordApiEvent(r, {
      action: route.method.action,
      outcome: 'failure',
      category: 'authorization',
      level: 'warn',
      riskScore: 60,
      ...(route.params.id === undefined ? {} : { resourceId: route.params.id }),
      description: `Audit API denied ${route.name}: ${error.message}`,
      details: { tenantRequested: r.query.getAll('tenant') },
    });
  } catch (recordError) {
    reportError('internalErrors', 'audit API', recordError);
  }
}

function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  if (typeof basePath !== 'string' || !basePath.startsWith('/') || /[?#]/.test(basePath)) {
    throw new ActivityConfigError('basePath', basePath, 'a path starting with /, e.g. /audit');
  }
  return basePath.replace(/\/+$/, '');
}

/** The URL relative to `basePath`, or undefined when the request is outside it. */
function relativeUrlOf(url: string, basePath: string): string | undefined {
  if (basePath === '') return url;
  if (!url.startsWith(basePath)) return undefined;
  const rest = url.slice(basePath.length);
  if (rest === '' || rest.startsWith('?')) return `/${rest}`;
  return rest.startsWith('/') ? rest : undefined;
}
