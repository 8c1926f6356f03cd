import { type AnyValue, trace } from '@opentelemetry/api';
import type { AuditEventInput, AuditOutcome } from '../audit/AuditStore.ts';
import type { ActivityCategoryName, ActivityLevelName, ActivityTypeName, AuditActionName } from '../constants.ts';
import { currentScope } from '../context/activity-context.ts';
import { addClientFacts, addIdentity } from '../instrumentation/build-request-records.ts';
import { sessionDigestFromCookies, splitUrl } from '../instrumentation/request-facts.ts';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import { reportError } from '../internal/report-error.ts';
import { SEVERITY } from '../internal/severity.ts';
import { toAnyValue } from '../internal/to-any-value.ts';
import { uuidv7 } from '../internal/uuidv7.ts';
import type { ActivityLogRecordInit } from '../records/ActivityLogRecord.ts';
import * as A from '../semconv.ts';
import { type ActivityRuntime, getRuntime } from '../setup/runtime.ts';
import { auditCategoryOf, auditDescriptionOf } from './audit-wording.ts';

/** An action the app records (what HTTP cannot see: a click, a search, a business step). */
export interface ActivityAction {
  /** An ActivityType (`click`, `search`, …) or a custom type; becomes eventName `activity.<type>`. */
  type: ActivityTypeName;
  /** What happened, in a few words: "Invoice created: 'INV-7'". */
  description: string;
  /** Structured details (masked; cycles, Dates, Errors handled). */
  data?: Record<string, unknown>;
  result?: string;
  success?: boolean;
  /** Milliseconds. */
  durationMs?: number;
  category?: ActivityCategoryName;
  /** Default: error for type `error`, warn when `success` is false, else info. */
  level?: ActivityLevelName;
  /** 0-100. */
  riskScore?: number;
}

/** An audit event: who (from the activity context) did what to which resource. */
export interface AuditEventSpec {
  /** CREATE, READ, UPDATE, DELETE, LOGIN, LOGOUT, EXPORT, PERMISSION_CHANGE or custom. */
  action: AuditActionName;
  resource?: { type: string; id?: string | number | null };
  /** Masked before it is written anywhere. */
  details?: Record<string, unknown>;
  /** Default 'success'. */
  outcome?: AuditOutcome;
  /** Default: from the action ("updated invoice 'INV-7'"). */
  description?: string;
  /** Default: from the action (LOGIN → authentication, PERMISSION_CHANGE → authorization, …). */
  category?: ActivityCategoryName;
  /** 0-100. */
  riskScore?: number;
}

export interface RecordAuditOptions {
  /**
   * The caller's open database transaction (a `pg` client inside BEGIN, a
   * postgres.js transaction `sql`, or a PGlite transaction): the audit row is
   * written in it and commits or rolls back with the business change.
   */
  transaction?: unknown;
}

type RecordFields = Omit<ActivityLogRecordInit, 'resource' | 'spanContext'>;

/**
 * Records activities under one instrumentation scope, like a Tracer:
 * `activity.getRecorder('billing').recordAction({...})`. Every method emits one
 * record (eventName `activity.<type>`) carrying the current request's identity and
 * context, and never throws (only `recordAudit` with a transaction rejects, so the
 * caller's transaction fails with it). Before the pipeline starts, records go nowhere.
 */
export class ActivityRecorder {
  readonly name: string;
  readonly version: string | undefined;

  constructor(name: string, version?: string) {
    this.name = name;
    this.version = version;
  }

  recordAction(action: ActivityAction): void {
    const runtime = getRuntime();
    if (runtime === undefined) return;
    try {
      runtime.emitter.emit(this._actionFields(runtime, action));
    } catch (error) {
      reportError('internalErrors', 'recordAction', error);
    }
  }

  /** A click on an element (`submit-button`), optionally on a page. */
  recordClick(element: string, page?: string): void {
    this.recordAction({ type: 'click', description: element, data: page === undefined ? { element } : { element, page } });
  }

  /** A search and how many results it found. */
  recordSearch(query: string, resultsCount: number): void {
    this.recordAction({ type: 'search', description: query, result: `${resultsCount} results`, success: true, data: { query, results_count: resultsCount } });
  }

  /** A form submission; validation errors make it a failure (WARN). */
  recordFormSubmission(formName: string, success: boolean, validationErrors?: string[] | Record<string, unknown>): void {
    const errors = Array.isArray(validationErrors) ? validationErrors.join('; ') : validationErrors ? Object.keys(validationErrors).join(', ') : undefined;
    this.recordAction({
      type: 'form_submission',
      description: formName,
      success,
      result: success ? 'Form submitted successfully' : errors ? `Validation failed: ${errors}` : 'Submission failed',
      data: validationErrors === undefined ? undefined : { validation_errors: validationErrors },
    });
  }

  /**
   * An authentication event (`login`, `logout`, `password_reset`, …); a failure is
   * WARN with a risk score. For a failed login, pass the attempted account as
   * `details.username`: there is no user bound yet, and the dashboards group failed
   * logins by it.
   */
  recordAuth(event: string, success: boolean, details?: Record<string, unknown>): void {
    const label = event.charAt(0).toUpperCase() + event.slice(1).replace(/_/g, ' ');
    this.recordAction({
      type: 'auth',
      category: 'authentication',
      description: event,
      success,
      result: success ? `${label} succeeded` : `${label} failed`,
      riskScore: success ? 0 : 40,
      data: details,
    });
  }

  /** An error the app handled (or is about to rethrow), with its context. */
  recordError(error: unknown, context?: Record<string, unknown>): void {
    const runtime = getRuntime();
    if (runtime === undefined) return;
    try {
      const type = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      const fields = this._actionFields(runtime, { type: 'error', category: 'system', description: `${type}: ${message}`, result: 'Error occurred', success: false, level: 'error', data: context });
      const a = fields.attributes;
      a[A.ATTR_ERROR_TYPE] = a[A.ATTR_EXCEPTION_TYPE] = runtime.clean(type);
      a[A.ATTR_EXCEPTION_MESSAGE] = runtime.clean(message);
      if (error instanceof Error && error.stack !== undefined) a[A.ATTR_EXCEPTION_STACKTRACE] = runtime.clean(error.stack);
      runtime.emitter.emit(fields);
    } catch (failure) {
      reportError('internalErrors', 'recordError', failure);
    }
  }

  /**
   * Records an audit event: through the pipeline (masked, narrative, file, OTLP) and
   * into the audit table, once. With `{ transaction }` the row is written inside the
   * caller's transaction first (errors reject, so the caller rolls back), and the
   * pipeline record is marked as already persisted.
   *
   * @returns the event id (a UUIDv7).
   */
  async recordAudit(event: AuditEventSpec, options: RecordAuditOptions = {}): Promise<{ eventId: string }> {
    const runtime = getRuntime();
    const eventId = uuidv7();
    const transactional = options.transaction !== undefined && options.transaction !== null;
    if (transactional && (runtime === undefined || !runtime.config.audit.enabled)) {
      throw new ActivityError(ErrorCode.AUDIT_UNAVAILABLE, 'otel-activity: recordAudit with a transaction needs a started pipeline with the audit store on (ACTIVITY_AUDIT=on)');
    }
    if (runtime === undefined) return { eventId };
    let fields: RecordFields;
    try {
      fields = this._auditFields(runtime, event, eventId, transactional);
    } catch (error) {
      if (transactional) throw error;
      reportError('internalErrors', 'recordAudit', error);
      return { eventId };
    }
    if (transactional) {
      const store = await runtime.auditStore();
      await store.appendInTransaction(options.transaction, auditEventOf(fields, eventId));
    }
    runtime.emitter.emit(fields);
    return { eventId };
  }

  private _auditFields(runtime: ActivityRuntime, event: AuditEventSpec, eventId: string, persisted: boolean): RecordFields {
    const outcome: AuditOutcome = event.outcome === 'failure' ? 'failure' : 'success';
    const action = runtime.clean(String(event.action));
    const fields = this._actionFields(runtime, {
      type: 'audit',
      category: event.category ?? auditCategoryOf(action),
      description: event.description ?? auditDescriptionOf(action, event.resource?.type, event.resource?.id),
      result: outcome,
      success: outcome === 'success',
      riskScore: event.riskScore,
      level: outcome === 'failure' ? 'warn' : 'info',
    });
    const a = fields.attributes;
    a[A.ATTR_AUDIT_EVENT_ID] = eventId;
    a[A.ATTR_AUDIT_ACTION] = action;
    a[A.ATTR_AUDIT_OUTCOME] = outcome;
    if (event.resource?.type !== undefined) a[A.ATTR_AUDIT_RESOURCE_TYPE] = runtime.clean(String(event.resource.type));
    if (event.resource?.id !== undefined && event.resource.id !== null) a[A.ATTR_AUDIT_RESOURCE_ID] = runtime.clean(String(event.resource.id));
    if (event.details !== undefined) a[A.ATTR_AUDIT_DETAILS] = runtime.masker.maskAny(toAnyValue(event.details, { maxStringLength: runtime.config.maxValueLength }));
    if (persisted) a[A.ATTR_AUDIT_PERSISTED] = true;
    return fields;
  }

  /** The record of an action, every string masked and bounded (the record is premasked). */
  private _actionFields(runtime: ActivityRuntime, given: ActivityAction): RecordFields {
    const clean = runtime.clean;
    // A bad argument still gives a record (of type `custom`) rather than nothing.
    const action: Partial<ActivityAction> = given !== null && typeof given === 'object' ? given : {};
    const type = typeof action.type === 'string' && action.type !== '' ? clean(action.type) : 'custom';
    const level = action.level ?? (type === 'error' ? 'error' : action.success === false ? 'warn' : 'info');
    const severity = SEVERITY[level] ?? SEVERITY.info;
    const a: Record<string, AnyValue> = {
      [A.ATTR_ACTIVITY_TYPE]: type,
      [A.ATTR_ACTIVITY_DESCRIPTION]: clean(safeString(action.description ?? type)),
    };
    if (action.category !== undefined) a[A.ATTR_ACTIVITY_CATEGORY] = clean(String(action.category));
    if (action.result !== undefined) a[A.ATTR_ACTIVITY_RESULT] = clean(safeString(action.result));
    if (typeof action.success === 'boolean') a[A.ATTR_ACTIVITY_SUCCESS] = action.success;
    if (typeof action.durationMs === 'number' && Number.isFinite(action.durationMs)) a[A.ATTR_ACTIVITY_DURATION_MS] = action.durationMs;
    if (typeof action.riskScore === 'number' && Number.isFinite(action.riskScore)) a[A.ATTR_ACTIVITY_RISK_SCORE] = Math.max(0, Math.min(100, Math.round(action.riskScore)));
    if (action.data !== undefined) a[A.ATTR_ACTIVITY_DATA] = runtime.masker.maskAny(toAnyValue(action.data, { maxStringLength: runtime.config.maxValueLength }));

    const scope = currentScope();
    if (scope !== undefined) {
      const req = scope.req;
      if (scope.requestId !== undefined) a[A.ATTR_REQUEST_ID] = scope.requestId;
      addIdentity(a, scope, clean, req === undefined ? undefined : sessionDigestFromCookies(req.headers.cookie, runtime.config.sessionCookies));
      if (req !== undefined) {
        addClientFacts(a, req, clean, runtime.config.trustProxy);
        a[A.ATTR_URL_PATH] = clean(splitUrl(req.url).path);
      }
    }
    return {
      instrumentationScope: runtime.emitter.scope(this.name, this.version),
      eventName: A.EVENT_NAME_PREFIX + type,
      severityNumber: severity.number,
      severityText: severity.text,
      timeMillis: performance.timeOrigin + performance.now(),
      attributes: a,
      premasked: true,
    };
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

/** The audit row of an audit record's fields. */
function auditEventOf(fields: RecordFields, eventId: string): AuditEventInput {
  const a = fields.attributes;
  const str = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : null);
  const span = trace.getActiveSpan()?.spanContext();
  return {
    eventId,
    occurredAt: new Date(Math.floor(fields.timeMillis)),
    action: a[A.ATTR_AUDIT_ACTION] as string,
    resourceType: str(A.ATTR_AUDIT_RESOURCE_TYPE),
    resourceId: str(A.ATTR_AUDIT_RESOURCE_ID),
    outcome: a[A.ATTR_AUDIT_OUTCOME] === 'failure' ? 'failure' : 'success',
    userId: str(A.ATTR_USER_ID),
    userName: str(A.ATTR_USER_NAME),
    tenantId: str(A.ATTR_TENANT_ID),
    sessionId: str(A.ATTR_SESSION_ID),
    requestId: str(A.ATTR_REQUEST_ID),
    ipAddress: str(A.ATTR_CLIENT_ADDRESS),
    userAgent: str(A.ATTR_USER_AGENT_ORIGINAL),
    category: str(A.ATTR_ACTIVITY_CATEGORY),
    level: fields.severityText.toLowerCase(),
    riskScore: typeof a[A.ATTR_ACTIVITY_RISK_SCORE] === 'number' ? (a[A.ATTR_ACTIVITY_RISK_SCORE] as number) : null,
    durationMs: null,
    description: str(A.ATTR_ACTIVITY_DESCRIPTION),
    traceId: span?.traceId ?? null,
    spanId: span?.spanId ?? null,
    details: (a[A.ATTR_AUDIT_DETAILS] as Record<string, unknown> | undefined) ?? null,
  };
}
