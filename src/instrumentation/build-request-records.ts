import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { AnyValue } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ActivityLevelName } from '../constants.ts';
import type { ActivityScope } from '../context/ActivityScope.ts';
import { SEVERITY } from '../internal/severity.ts';
import type { ActivityLogRecordInit } from '../records/ActivityLogRecord.ts';
import type { TextCleaner } from '../records/create-text-cleaner.ts';
import * as A from '../semconv.ts';
import { attachmentFileName, classifyRequest } from './classify-request.ts';
import type { HttpRequestScope } from './HttpRequestScope.ts';
import { clientAddressOf, sessionDigestFromCookies, splitUrl } from './request-facts.ts';

export interface RequestRecordSettings {
  /** WARN at or above, in milliseconds. */
  slowMs: number;
  /** ERROR at or above, in milliseconds. */
  verySlowMs: number;
  trustProxy: boolean;
  sessionCookies: readonly string[];
}

/** A record of a request, ready for the emitter. */
export type RequestRecord = Omit<ActivityLogRecordInit, 'resource' | 'spanContext'>;

const EVENT_NAMES: Record<string, string> = {};
function eventNameOf(type: string): string {
  return (EVENT_NAMES[type] ??= A.EVENT_NAME_PREFIX + type);
}

/**
 * The records a finished request produces: its activity record (api_call,
 * navigation, form_submission, upload or download), and an `error` record when the
 * handler threw or the answer is 5xx (unless an error record was already emitted).
 * Derived from the request and response alone, so it does not depend on a span.
 * Every string is cleaned (masked, bounded) here: the records are premasked.
 */
export function buildRequestRecords(
  scope: HttpRequestScope,
  settings: RequestRecordSettings,
  clean: TextCleaner,
  instrumentationScope: InstrumentationScope,
  endPerf: number,
): RequestRecord[] {
  const { req, res } = scope;
  const durationMs = Math.round((endPerf - scope.startPerf) * 1000) / 1000;
  const { path, query } = splitUrl(req.url);
  const aborted = !res.writableFinished;
  const status = res.headersSent ? res.statusCode : undefined;
  const method = req.method ?? 'GET';
  const type = classifyRequest(req, res);
  const errorStatus = httpStatusOfError(scope.error);
  // An error that became a 4xx answer is the client's mistake, not a failure of ours.
  const serverError = (status !== undefined && status >= 500) || (scope.error !== undefined && !(errorStatus !== undefined && errorStatus < 500));
  const success = !aborted && status !== undefined && status < 400 && !serverError;

  let level: ActivityLevelName = 'info';
  if (serverError || durationMs >= settings.verySlowMs) level = 'error';
  else if (aborted || (status !== undefined && status >= 400) || durationMs >= settings.slowMs) level = 'warn';

  const cleanPath = clean(path);
  let description: string;
  if (type === 'api_call') description = `${method} ${cleanPath}`;
  else if (type === 'download') description = clean(attachmentFileName(res) ?? path);
  else description = cleanPath;

  const a: Record<string, AnyValue> = {
    [A.ATTR_ACTIVITY_TYPE]: type,
    [A.ATTR_ACTIVITY_CATEGORY]: type === 'upload' || type === 'download' ? 'file' : 'api',
    [A.ATTR_ACTIVITY_DESCRIPTION]: description,
    [A.ATTR_ACTIVITY_RESULT]: resultOf(status, aborted, serverError, scope.interruptedByExit),
    [A.ATTR_ACTIVITY_SUCCESS]: success,
    [A.ATTR_ACTIVITY_DURATION_MS]: durationMs,
    [A.ATTR_HTTP_REQUEST_METHOD]: method,
    [A.ATTR_URL_PATH]: cleanPath,
  };
  if (scope.requestId !== undefined) a[A.ATTR_REQUEST_ID] = scope.requestId;
  if (query !== undefined) a[A.ATTR_URL_QUERY] = clean(query);
  const route = scope.route ?? expressRoute(req);
  if (route !== undefined) a[A.ATTR_HTTP_ROUTE] = clean(route);
  if (status !== undefined) a[A.ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  addClientFacts(a, req, clean, settings.trustProxy);
  addIdentity(a, scope, clean, sessionDigestFromCookies(req.headers.cookie, settings.sessionCookies));
  const errorType = serverError ? errorTypeOf(scope.error, status) : aborted ? 'aborted' : status !== undefined && status >= 400 ? String(status) : undefined;
  if (errorType !== undefined) a[A.ATTR_ERROR_TYPE] = clean(errorType);

  const timeMillis = performance.timeOrigin + scope.startPerf;
  const severity = SEVERITY[level];
  const records: RequestRecord[] = [{ instrumentationScope, eventName: eventNameOf(type), severityNumber: severity.number, severityText: severity.text, timeMillis, attributes: a, premasked: true }];
  if (serverError && !scope.errorRecorded) records.push(buildErrorRecord(scope, a, status, clean, instrumentationScope, timeMillis));
  return records;
}

/** Who sent the request: client address, user agent, referer (cleaned). */
export function addClientFacts(a: Record<string, AnyValue>, req: IncomingMessage, clean: TextCleaner, trustProxy: boolean): void {
  const clientAddress = clientAddressOf(req, trustProxy);
  if (clientAddress !== undefined) a[A.ATTR_CLIENT_ADDRESS] = clean(clientAddress);
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) a[A.ATTR_USER_AGENT_ORIGINAL] = clean(userAgent);
  const referer = req.headers.referer;
  if (referer !== undefined) a[A.ATTR_HTTP_REQUEST_HEADER_REFERER] = clean(referer);
}

/** Identity the app bound (or the session cookie's digest). */
export function addIdentity(a: Record<string, AnyValue>, scope: ActivityScope, clean: TextCleaner, cookieSession?: string): void {
  const sessionId = scope.sessionId ?? cookieSession;
  if (sessionId !== undefined) a[A.ATTR_SESSION_ID] = clean(sessionId);
  const user = scope.user;
  if (user !== undefined) {
    a[A.ATTR_USER_ID] = clean(user.id);
    if (user.name !== undefined) a[A.ATTR_USER_NAME] = clean(user.name);
    if (user.roles !== undefined) a[A.ATTR_USER_ROLES] = user.roles.map(clean);
  }
  if (scope.tenantId !== undefined) a[A.ATTR_TENANT_ID] = clean(scope.tenantId);
}

/**
 * The `error` record of a request: the exception (or the 5xx answer) with the
 * request's identity and context.
 */
function buildErrorRecord(
  scope: HttpRequestScope,
  requestAttributes: Record<string, AnyValue>,
  status: number | undefined,
  clean: TextCleaner,
  instrumentationScope: InstrumentationScope,
  timeMillis: number,
): RequestRecord {
  const error = scope.error;
  const type = clean(errorTypeOf(error, status));
  const message = clean(error instanceof Error ? error.message : error !== undefined ? String(error) : (STATUS_CODES[status ?? 500] ?? 'Server error'));
  const a: Record<string, AnyValue> = {
    ...requestAttributes,
    [A.ATTR_ACTIVITY_TYPE]: 'error',
    [A.ATTR_ACTIVITY_CATEGORY]: 'system',
    [A.ATTR_ACTIVITY_DESCRIPTION]: `${type}: ${message}`,
    [A.ATTR_ACTIVITY_RESULT]: 'Error occurred',
    [A.ATTR_ACTIVITY_SUCCESS]: false,
    [A.ATTR_ERROR_TYPE]: type,
    [A.ATTR_EXCEPTION_TYPE]: type,
    [A.ATTR_EXCEPTION_MESSAGE]: message,
  };
  delete a[A.ATTR_ACTIVITY_DURATION_MS];
  if (error instanceof Error && error.stack !== undefined) a[A.ATTR_EXCEPTION_STACKTRACE] = clean(error.stack);
  const severity = SEVERITY.error;
  return { instrumentationScope, eventName: eventNameOf('error'), severityNumber: severity.number, severityText: severity.text, timeMillis, attributes: a, premasked: true };
}

function resultOf(status: number | undefined, aborted: boolean, serverError: boolean, byExit: boolean): string {
  if (aborted) {
    const why = byExit ? 'ABORTED (the process exited first)' : 'ABORTED (client closed the connection)';
    return status === undefined ? why : `HTTP ${status} ${why}`;
  }
  if (status === undefined) return 'No response';
  if (serverError || status >= 500) return `HTTP ${status} SERVER ERROR`;
  if (status >= 400) return `HTTP ${status} CLIENT ERROR`;
  return `HTTP ${status} SUCCESS`;
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
