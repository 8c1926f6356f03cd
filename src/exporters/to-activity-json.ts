import type { AnyValue } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SEVERITY, levelOfSeverity } from '../internal/severity.ts';
import * as A from '../semconv.ts';

/** Attributes that have a place of their own in the JSON shape. */
const MAPPED = new Set<string>([
  A.ATTR_ACTIVITY_TYPE, A.ATTR_ACTIVITY_CATEGORY, A.ATTR_ACTIVITY_DESCRIPTION, A.ATTR_ACTIVITY_DURATION_MS,
  A.ATTR_ACTIVITY_RESULT, A.ATTR_ACTIVITY_SUCCESS, A.ATTR_ACTIVITY_RISK_SCORE, A.ATTR_ACTIVITY_DATA,
  A.ATTR_SESSION_ID, A.ATTR_USER_ID, A.ATTR_USER_NAME, A.ATTR_USER_ROLES, A.ATTR_TENANT_ID, A.ATTR_CLIENT_ADDRESS,
  A.ATTR_USER_AGENT_ORIGINAL, A.ATTR_URL_PATH, A.ATTR_HTTP_REQUEST_HEADER_REFERER, A.ATTR_REQUEST_ID,
  A.ATTR_HTTP_REQUEST_METHOD, A.ATTR_URL_FULL, A.ATTR_URL_QUERY, A.ATTR_HTTP_ROUTE, A.ATTR_HTTP_RESPONSE_STATUS_CODE,
  A.ATTR_EXCEPTION_TYPE, A.ATTR_EXCEPTION_MESSAGE, A.ATTR_EXCEPTION_STACKTRACE, A.ATTR_ERROR_TYPE,
  A.ATTR_AUDIT_EVENT_ID, A.ATTR_AUDIT_ACTION, A.ATTR_AUDIT_RESOURCE_TYPE, A.ATTR_AUDIT_RESOURCE_ID,
  A.ATTR_AUDIT_DETAILS, A.ATTR_AUDIT_OUTCOME, A.ATTR_AUDIT_PERSISTED,
]);

/**
 * One record as a JSON line in the seed's shape, so the seed's `jq` recipes work:
 * `jq 'select(.action.duration_ms > 1000)'`, `jq 'select(.session.user_id == "user123")'`.
 *
 * ```
 * { event, level, narrative, service,
 *   action:  { action_type, category, description, duration_ms, result, success, risk_score, timestamp, data },
 *   session: { session_id, user_id, user_name, user_roles, tenant_id, ip_address, user_agent, current_page, referrer },
 *   context: { request_id, method, url, route, status_code, trace_id, span_id },
 *   error?:  { type, message, stacktrace },
 *   audit?:  { event_id, action, resource_type, resource_id, outcome, details },
 *   attributes?: { anything else } }
 * ```
 * Absent values are left out. (Byte-array values, rare in activity data, come out as
 * JSON objects of their bytes: no replacer function, which would halve the speed.)
 */
export function toActivityJson(record: ReadableLogRecord): string {
  const a = record.attributes as Record<string, AnyValue>;
  const body = record.body;
  // One object of a fixed shape, one JSON.stringify (absent values are undefined and
  // left out): measured faster than building the line field by field.
  const line: Record<string, unknown> = {
    event: record.eventName ?? 'log',
    level: record.severityText ?? SEVERITY[levelOfSeverity(record.severityNumber)].text,
    narrative: body === null ? undefined : body,
    service: record.resource.attributes['service.name'],
    action: {
      action_type: a[A.ATTR_ACTIVITY_TYPE],
      category: a[A.ATTR_ACTIVITY_CATEGORY],
      description: a[A.ATTR_ACTIVITY_DESCRIPTION],
      duration_ms: a[A.ATTR_ACTIVITY_DURATION_MS],
      result: a[A.ATTR_ACTIVITY_RESULT],
      success: a[A.ATTR_ACTIVITY_SUCCESS],
      risk_score: a[A.ATTR_ACTIVITY_RISK_SCORE],
      timestamp: isoTimestamp(record.hrTime),
      data: a[A.ATTR_ACTIVITY_DATA],
    },
    session: {
      session_id: a[A.ATTR_SESSION_ID],
      user_id: a[A.ATTR_USER_ID],
      user_name: a[A.ATTR_USER_NAME],
      user_roles: a[A.ATTR_USER_ROLES],
      tenant_id: a[A.ATTR_TENANT_ID],
      ip_address: a[A.ATTR_CLIENT_ADDRESS],
      user_agent: a[A.ATTR_USER_AGENT_ORIGINAL],
      current_page: a[A.ATTR_URL_PATH],
      referrer: a[A.ATTR_HTTP_REQUEST_HEADER_REFERER],
    },
    context: {
      request_id: a[A.ATTR_REQUEST_ID],
      method: a[A.ATTR_HTTP_REQUEST_METHOD],
      url: a[A.ATTR_URL_FULL] ?? (a[A.ATTR_URL_QUERY] === undefined ? a[A.ATTR_URL_PATH] : `${a[A.ATTR_URL_PATH]}?${a[A.ATTR_URL_QUERY]}`),
      route: a[A.ATTR_HTTP_ROUTE],
      status_code: a[A.ATTR_HTTP_RESPONSE_STATUS_CODE],
      trace_id: record.spanContext?.traceId,
      span_id: record.spanContext?.spanId,
    },
    error: a[A.ATTR_EXCEPTION_TYPE] === undefined && a[A.ATTR_EXCEPTION_MESSAGE] === undefined ? undefined : { type: a[A.ATTR_EXCEPTION_TYPE], message: a[A.ATTR_EXCEPTION_MESSAGE], stacktrace: a[A.ATTR_EXCEPTION_STACKTRACE] },
    audit:
      a[A.ATTR_AUDIT_ACTION] === undefined
        ? undefined
        : {
            event_id: a[A.ATTR_AUDIT_EVENT_ID],
            action: a[A.ATTR_AUDIT_ACTION],
            resource_type: a[A.ATTR_AUDIT_RESOURCE_TYPE],
            resource_id: a[A.ATTR_AUDIT_RESOURCE_ID],
            outcome: a[A.ATTR_AUDIT_OUTCOME],
            details: a[A.ATTR_AUDIT_DETAILS],
          },
    attributes: undefined,
  };
  let rest: Record<string, AnyValue> | undefined;
  for (const key in a) {
    if (!MAPPED.has(key)) (rest ??= {})[key] = a[key];
  }
  if (rest !== undefined) line.attributes = rest;
  return JSON.stringify(line);
}

let cachedSecond = -1;
let cachedPrefix = '';

/** `2024-01-15T14:30:25.123456Z` (microseconds, UTC); the date part is formatted once per second. */
function isoTimestamp([seconds, nanos]: [number, number]): string {
  if (seconds !== cachedSecond) {
    cachedSecond = seconds;
    cachedPrefix = new Date(seconds * 1000).toISOString().slice(0, 20);
  }
  return `${cachedPrefix}${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}
