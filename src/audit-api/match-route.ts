import { AuditAction } from '../constants.ts';
import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { handleAnonymize } from './handle-anonymize.ts';
import { EXPORT_PARAMS, handleExport } from './handle-export.ts';
import { handleGetEvent } from './handle-get-event.ts';
import { handleListEvents, LIST_EVENTS_PARAMS } from './handle-list-events.ts';
import { handlePurge, PURGE_PARAMS } from './handle-purge.ts';
import { handleStatistics, STATISTICS_PARAMS } from './handle-statistics.ts';
import { handleVerify } from './handle-verify.ts';
import { vocabularyHandler } from './handle-vocabulary.ts';
import { FILTER_FIELDS } from './parse-search-filters.ts';

/** One method of one route. */
export interface RouteMethod {
  handle(r: AuditApiRequest): Promise<void>;
  /** The query parameters it accepts; any other answers 400. */
  params: readonly string[];
  /** The audit action a forbidden attempt at it is recorded as. */
  action: string;
}

/** A routed request: the route's name (`GET /events/:id`), its method and its path parameters. */
export interface MatchedRoute {
  name: string;
  method: RouteMethod;
  params: Record<string, string>;
}

const TENANT = ['tenant'] as const;

/** The routes, by path relative to the mount point; `:id` is a path parameter. */
const ROUTES: readonly { path: string; methods: Readonly<Record<string, RouteMethod>> }[] = [
  {
    path: '/events',
    methods: {
      GET: { handle: handleListEvents, params: [...FILTER_FIELDS, ...LIST_EVENTS_PARAMS], action: AuditAction.READ },
      DELETE: { handle: handlePurge, params: PURGE_PARAMS, action: AuditAction.PURGE },
    },
  },
  { path: '/events/:id', methods: { GET: { handle: handleGetEvent, params: TENANT, action: AuditAction.READ } } },
  { path: '/statistics', methods: { GET: { handle: handleStatistics, params: [...FILTER_FIELDS, ...STATISTICS_PARAMS], action: AuditAction.READ } } },
  { path: '/export', methods: { GET: { handle: handleExport, params: [...FILTER_FIELDS, ...EXPORT_PARAMS], action: AuditAction.EXPORT } } },
  { path: '/verify', methods: { GET: { handle: handleVerify, params: TENANT, action: AuditAction.READ } } },
  { path: '/users/:id/anonymize', methods: { POST: { handle: handleAnonymize, params: TENANT, action: AuditAction.ANONYMIZE } } },
  { path: '/actions', methods: { GET: { handle: vocabularyHandler('actions'), params: TENANT, action: AuditAction.READ } } },
  { path: '/categories', methods: { GET: { handle: vocabularyHandler('categories'), params: TENANT, action: AuditAction.READ } } },
  { path: '/levels', methods: { GET: { handle: vocabularyHandler('levels'), params: TENANT, action: AuditAction.READ } } },
];

const COMPILED = ROUTES.map((route) => ({ ...route, segments: route.path.split('/').filter(Boolean) }));

/**
 * Finds the route of a path relative to the mount point (a trailing slash is ignored).
 *
 * @throws AuditApiError 404 for an unknown path, 405 (with `Allow`) for a known path and
 *   another method, 400 for a path segment that is not valid percent-encoding.
 */
export function matchRoute(method: string, pathname: string): MatchedRoute {
  const parts = pathname.split('/').filter(Boolean);
  for (const route of COMPILED) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < parts.length && matched; i++) {
      const segment = route.segments[i]!;
      if (segment.startsWith(':')) params[segment.slice(1)] = decodeSegment(parts[i]!);
      else matched = segment === parts[i];
    }
    if (!matched) continue;
    const routeMethod = route.methods[method];
    if (routeMethod === undefined) {
      const allow = Object.keys(route.methods).join(', ');
      throw new AuditApiError(405, AuditApiErrorCode.METHOD_NOT_ALLOWED, `${method} is not allowed on ${route.path}; allowed: ${allow}`, { allow });
    }
    return { name: `${method} ${route.path}`, method: routeMethod, params };
  }
  throw new AuditApiError(404, AuditApiErrorCode.NOT_FOUND, `no route ${method} ${pathname}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, `malformed percent-encoding in ${JSON.stringify(segment)}`);
  }
}
