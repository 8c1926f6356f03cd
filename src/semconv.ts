/**
 * The record contract: every attribute name otel-activity puts on a LogRecord.
 *
 * OpenTelemetry semantic conventions are used where one exists (`http.*`, `url.*`,
 * `client.address`, `user_agent.original`, `user.*`, `session.id`, `error.type`,
 * `exception.*`); our own names are prefixed (`activity.*`, `audit.*`, `request.id`,
 * `tenant.id`). Loki's OTLP ingestion turns dots into underscores, so `user.id` is
 * queried as `user_id` there.
 */

// Identity: bound by the app after it authenticates (never read from client headers by default).
export const ATTR_USER_ID = 'user.id';
export const ATTR_USER_NAME = 'user.name';
/** string[] */
export const ATTR_USER_ROLES = 'user.roles';
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_TENANT_ID = 'tenant.id';

// Request.
/** From `x-request-id` (when well-formed) or generated; echoed in the response header. */
export const ATTR_REQUEST_ID = 'request.id';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_ROUTE = 'http.route';
/** Path only; the (masked) query string is in `url.query`. */
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_QUERY = 'url.query';
/** Absolute URL as the client asked for it (masked query). */
export const ATTR_URL_FULL = 'url.full';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_USER_AGENT_ORIGINAL = 'user_agent.original';
/** A plain string here (semconv allows string[] for header attributes). */
export const ATTR_HTTP_REQUEST_HEADER_REFERER = 'http.request.header.referer';
export const ATTR_HTTP_REQUEST_BODY_SIZE = 'http.request.body.size';
export const ATTR_HTTP_RESPONSE_BODY_SIZE = 'http.response.body.size';

// Activity.
export const ATTR_ACTIVITY_TYPE = 'activity.type';
export const ATTR_ACTIVITY_CATEGORY = 'activity.category';
export const ATTR_ACTIVITY_DESCRIPTION = 'activity.description';
export const ATTR_ACTIVITY_RESULT = 'activity.result';
export const ATTR_ACTIVITY_SUCCESS = 'activity.success';
/** Milliseconds, fractional. */
export const ATTR_ACTIVITY_DURATION_MS = 'activity.duration_ms';
/** 0-100. */
export const ATTR_ACTIVITY_RISK_SCORE = 'activity.risk_score';
/** A map of app-supplied data (masked). */
export const ATTR_ACTIVITY_DATA = 'activity.data';

// Errors (semconv).
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const ATTR_EXCEPTION_STACKTRACE = 'exception.stacktrace';

// Audit.
/** UUIDv7, the idempotency key of the audit table. */
export const ATTR_AUDIT_EVENT_ID = 'audit.event_id';
/** CREATE, READ, UPDATE, DELETE, LOGIN, LOGOUT, EXPORT, PERMISSION_CHANGE or custom. */
export const ATTR_AUDIT_ACTION = 'audit.action';
export const ATTR_AUDIT_RESOURCE_TYPE = 'audit.resource.type';
export const ATTR_AUDIT_RESOURCE_ID = 'audit.resource.id';
/** A map (masked). */
export const ATTR_AUDIT_DETAILS = 'audit.details';
/** 'success' | 'failure' */
export const ATTR_AUDIT_OUTCOME = 'audit.outcome';
/**
 * Set (true) when the row was already written inside the caller's own database
 * transaction, so the pipeline's audit exporter must not insert it again.
 */
export const ATTR_AUDIT_PERSISTED = 'audit.persisted';

/** LogRecord eventName of an activity record: `activity.<type>`. */
export const EVENT_NAME_PREFIX = 'activity.';

/** Instrumentation scope of the records otel-activity derives from HTTP requests. */
export const HTTP_SCOPE_NAME = 'otel-activity/http';
