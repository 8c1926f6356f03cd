import { http } from '../internal/http-builtins.ts';
import { SEVERITY } from '../internal/severity.ts';
import { TIME_ORIGIN } from '../internal/time-origin.ts';
import type { RecordParts } from '../records/ActivityEmitter.ts';
import { ActivityFields } from '../records/ActivityFields.ts';
import type { TextCleaner } from '../records/create-text-cleaner.ts';
import { addClientFields, addIdentityFields } from '../records/scope-fields.ts';
import { EVENT_NAME_PREFIX } from '../semconv.ts';
import { attachmentFileName, classifyRequest } from './classify-request.ts';
import type { HttpRequestScope } from './HttpRequestScope.ts';
import { sessionDigestFromCookies, splitUrl } from './request-facts.ts';

export interface RequestRecordSettings {
  /** WARN at or above, in milliseconds. */
  slowMs: number;
  /** ERROR at or above, in milliseconds. */
  verySlowMs: number;
  trustProxy: boolean;
  sessionCookies: readonly string[];
}

/** A record of a request (timed at the request's start), ready for the emitter. */
export interface RequestRecord extends RecordParts {
  /** The handler threw, or the answer is 5xx: the request also gets an `error` record. */
  serverError: boolean;
}

const EVENT_NAMES: Record<string, string> = {};
function eventNameOf(type: string): string {
  return (EVENT_NAMES[type] ??= EVENT_NAME_PREFIX + type);
}

/**
 * The activity record of a finished request (api_call, navigation, form_submission,
 * upload or download), derived from the request and response alone, so it does not
 * depend on a span. Every string is cleaned (masked, bounded) here: the records are
 * premasked.
 */
export function buildRequestRecord(scope: HttpRequestScope, settings: RequestRecordSettings, clean: TextCleaner, endPerf: number): RequestRecord {
  const { req, res } = scope;
  const durationMs = Math.round((endPerf - scope.startPerf) * 1000) / 1000;
  const { path, query } = splitUrl(req.url);
  const aborted = !res.writableFinished;
  const status = res.headersSent ? res.statusCode : undefined;
  const method = req.method ?? 'GET';
  const type = classifyRequest(req, res);
  const error = scope.error;
  const errorStatus = httpStatusOfError(error);
  // An error that became a 4xx answer is the client's mistake, not a failure of ours.
  const serverError = (status !== undefined && status >= 500) || (error !== undefined && !(errorStatus !== undefined && errorStatus < 500));

  let severity = SEVERITY.info;
  if (serverError || durationMs >= settings.verySlowMs) severity = SEVERITY.error;
  else if (aborted || (status !== undefined && status >= 400) || durationMs >= settings.slowMs) severity = SEVERITY.warn;

  const f = new ActivityFields();
  const cleanPath = clean(path);
  f.type = type;
  f.category = type === 'upload' || type === 'download' ? 'file' : 'api';
  if (type === 'api_call') f.description = apiCallDescription(method, cleanPath);
  else if (type === 'download') f.description = clean(attachmentFileName(res) ?? path);
  else f.description = cleanPath;
  f.result = resultOf(status, aborted, serverError, scope.interruptedByExit);
  f.success = !aborted && status !== undefined && status < 400 && !serverError;
  f.durationMs = durationMs;
  f.method = method;
  f.path = cleanPath;
  f.requestId = scope.requestId;
  if (query !== undefined) f.query = clean(query);
  const route = scope.route ?? expressRoute(req);
  if (route !== undefined) f.route = clean(route);
  f.status = status;
  addClientFields(f, req, clean, settings.trustProxy);
  addIdentityFields(f, scope, clean, sessionDigestFromCookies(req.headers.cookie, settings.sessionCookies));
  const errorType = serverError ? errorTypeOf(error, status) : aborted ? 'aborted' : status !== undefined && status >= 400 ? String(status) : undefined;
  if (errorType !== undefined) f.errorType = clean(errorType);
  return { eventName: eventNameOf(type), severity, timeMillis: TIME_ORIGIN + scope.startPerf, fields: f, serverError };
}

/**
 * The `error` record of a request: the exception (or the 5xx answer) with the
 * request's identity and context.
 */
export function buildErrorRecord(scope: HttpRequestScope, request: RequestRecord, clean: TextCleaner): RequestRecord {
  const error = scope.error;
  const status = request.fields.status as number | undefined;
  const type = clean(errorTypeOf(error, status));
  const message = clean(error instanceof Error ? error.message : error !== undefined ? String(error) : (http.STATUS_CODES[status ?? 500] ?? 'Server error'));
  const f = request.fields.clone();
  f.type = 'error';
  f.category = 'system';
  f.description = `${type}: ${message}`;
  f.result = 'Error occurred';
  f.success = false;
  f.durationMs = undefined;
  f.errorType = type;
  f.exceptionType = type;
  f.exceptionMessage = message;
  if (error instanceof Error && error.stack !== undefined) f.exceptionStacktrace = clean(error.stack);
  return { eventName: eventNameOf('error'), severity: SEVERITY.error, timeMillis: request.timeMillis, fields: f, serverError: true };
}

let lastMethod = '';
let lastPath = '';
let lastDescription = '';

/**
 * `GET /items`, the same string while method and path repeat (a busy endpoint): no
 * string is made per request, and the outputs, which compare it with the last one
 * written, find it identical at once.
 */
function apiCallDescription(method: string, path: string): string {
  if (method !== lastMethod || path !== lastPath) {
    lastMethod = method;
    lastPath = path;
    lastDescription = `${method} ${path}`;
  }
  return lastDescription;
}

/** `HTTP 200 SUCCESS` and the like, made once per status code (not once per request). */
const RESULTS: string[] = [];

function resultOf(status: number | undefined, aborted: boolean, serverError: boolean, byExit: boolean): string {
  if (aborted) {
    const why = byExit ? 'ABORTED (the process exited first)' : 'ABORTED (client closed the connection)';
    return status === undefined ? why : `HTTP ${status} ${why}`;
  }
  if (status === undefined) return 'No response';
  if (serverError && status < 500) return `HTTP ${status} SERVER ERROR`; // a thrown error answered below 500
  return (RESULTS[status] ??= `HTTP ${status} ${status >= 500 ? 'SERVER ERROR' : status >= 400 ? 'CLIENT ERROR' : 'SUCCESS'}`);
}

function errorTypeOf(error: unknown, status: number | undefined): string {
  if (error instanceof Error) return error.name === 'Error' && error.constructor?.name ? error.constructor.name : error.name;
  if (error !== undefined && error !== null && typeof error === 'object') return String((error as { name?: unknown }).name ?? 'Error');
  return `HTTP ${status ?? 500}`;
}

/** `err.status` / `err.statusCode` of an http-errors style error. */
function httpStatusOfError(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

/** Express (4 and 5) leaves the matched route on the request: mount path + route path. */
function expressRoute(req: unknown): string | undefined {
  const route = (req as { route?: { path?: unknown } }).route?.path;
  if (typeof route !== 'string') return undefined;
  const base = (req as { baseUrl?: unknown }).baseUrl;
  return typeof base === 'string' && base !== '' ? base + (route === '/' ? '' : route) : route;
}
