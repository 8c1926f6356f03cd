import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { AuditEventInput, AuditOutcome } from '../audit/AuditStore.ts';
import type { ActivityCategoryName, ActivityLevelName, ActivityTypeName, AuditActionName } from '../constants.ts';
import { currentScope } from '../context/activity-context.ts';
import { sessionDigestFromCookies, splitUrl } from '../instrumentation/request-facts.ts';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import { reportError } from '../internal/report-error.ts';
import { SEVERITY } from '../internal/severity.ts';
import { TIME_ORIGIN } from '../internal/time-origin.ts';
import { toAnyValue } from '../internal/to-any-value.ts';
import { uuidv7 } from '../internal/uuidv7.ts';
import type { RecordParts } from '../records/ActivityEmitter.ts';
import { ActivityFields } from '../records/ActivityFields.ts';
import { addClientFields, addIdentityFields } from '../records/scope-fields.ts';
import { EVENT_NAME_PREFIX } from '../semconv.ts';
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

/** A recorder's record, ready for the emitter. */
interface ActionRecord extends RecordParts {
  instrumentationScope: InstrumentationScope;
}

function emit(runtime: ActivityRuntime, record: ActionRecord): void {
  runtime.emitter.emit(record.instrumentationScope, record);
}

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
  /** The last type recorded, cleaned, with its event name and this recorder's scope: see {@link _typeOf}. */
  private _lastType: RecordedType | undefined = undefined;

  constructor(name: string, version?: string) {
    this.name = name;
    this.version = version;
  }

  recordAction(action: ActivityAction): void {
    const runtime = getRuntime();
    if (runtime === undefined) return;
    try {
      emit(runtime, this._actionRecord(runtime, action));
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
      const record = this._actionRecord(runtime, { type: 'error', category: 'system', description: `${type}: ${message}`, result: 'Error occurred', success: false, level: 'error', data: context });
      const f = record.fields;
      f.errorType = f.exceptionType = runtime.clean(type);
      f.exceptionMessage = runtime.clean(message);
      if (error instanceof Error && error.stack !== undefined) f.exceptionStacktrace = runtime.clean(error.stack);
      emit(runtime, record);
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
    let record: ActionRecord;
    try {
      record = this._auditRecord(runtime, event, eventId, transactional);
    } catch (error) {
      if (transactional) throw error;
      reportError('internalErrors', 'recordAudit', error);
      return { eventId };
    }
    if (transactional) {
      const store = await runtime.auditStore();
      await store.appendInTransaction(options.transaction, auditEventOf(record, eventId));
    }
    emit(runtime, record);
    return { eventId };
  }

  private _auditRecord(runtime: ActivityRuntime, event: AuditEventSpec, eventId: string, persisted: boolean): ActionRecord {
    const outcome: AuditOutcome = event.outcome === 'failure' ? 'failure' : 'success';
    const action = runtime.clean(String(event.action));
    const record = this._actionRecord(runtime, {
      type: 'audit',
      category: event.category ?? auditCategoryOf(action),
      description: event.description ?? auditDescriptionOf(action, event.resource?.type, event.resource?.id),
      result: outcome,
      success: outcome === 'success',
      riskScore: event.riskScore,
      level: outcome === 'failure' ? 'warn' : 'info',
    });
    const f = record.fields;
    f.auditEventId = eventId;
    f.auditAction = action;
    f.auditOutcome = outcome;
    if (event.resource?.type !== undefined) f.auditResourceType = runtime.clean(String(event.resource.type));
    if (event.resource?.id !== undefined && event.resource.id !== null) f.auditResourceId = runtime.clean(String(event.resource.id));
    if (event.details !== undefined) f.auditDetails = toAnyValue(event.details, { maxStringLength: runtime.config.maxValueLength }, runtime.masker);
    if (persisted) f.auditPersisted = true;
    return record;
  }

  /** The record of an action, every string masked and bounded (the record is premasked). */
  private _actionRecord(runtime: ActivityRuntime, given: ActivityAction): ActionRecord {
    const clean = runtime.clean;
    // A bad argument still gives a record (of type `custom`) rather than nothing.
    const action: Partial<ActivityAction> = given !== null && typeof given === 'object' ? given : {};
    const recorded = this._typeOf(runtime, typeof action.type === 'string' && action.type !== '' ? action.type : 'custom');
    const type = recorded.type;
    const level = action.level ?? (type === 'error' ? 'error' : action.success === false ? 'warn' : 'info');
    const f = new ActivityFields();
    f.type = type;
    f.description = clean(stringOf(action.description ?? type));
    if (action.category !== undefined) f.category = clean(String(action.category));
    if (action.result !== undefined) f.result = clean(stringOf(action.result));
    if (typeof action.success === 'boolean') f.success = action.success;
    if (typeof action.durationMs === 'number' && Number.isFinite(action.durationMs)) f.durationMs = action.durationMs;
    if (typeof action.riskScore === 'number' && Number.isFinite(action.riskScore)) f.riskScore = Math.max(0, Math.min(100, Math.round(action.riskScore)));
    if (action.data !== undefined) f.data = toAnyValue(action.data, { maxStringLength: runtime.config.maxValueLength }, runtime.masker);

    const scope = currentScope();
    if (scope !== undefined) {
      const req = scope.req;
      f.requestId = scope.requestId;
      addIdentityFields(f, scope, clean, req === undefined ? undefined : sessionDigestFromCookies(req.headers.cookie, runtime.config.sessionCookies));
      if (req !== undefined) {
        addClientFields(f, req, clean, runtime.config.trustProxy);
        f.path = clean(splitUrl(req.url).path);
      }
    }
    return {
      instrumentationScope: recorded.scope,
      eventName: recorded.eventName,
      severity: SEVERITY[level] ?? SEVERITY.info,
      timeMillis: TIME_ORIGIN + performance.now(),
      fields: f,
    };
  }

  /**
   * `given` cleaned, its event name and this recorder's scope, kept from the previous
   * record when it had the same type (a recorder mostly records one or a few types):
   * cleaning the type, joining the event name and looking the scope up cost about 2%
   * of a record, and an event name that is the same string as the last line's is
   * recognised by the JSON line without comparing characters.
   */
  private _typeOf(runtime: ActivityRuntime, given: string): RecordedType {
    const last = this._lastType;
    if (last !== undefined && last.given === given && last.runtime === runtime) return last;
    const type = runtime.clean(given);
    return (this._lastType = { runtime, given, type, eventName: EVENT_NAME_PREFIX + type, scope: runtime.emitter.scope(this.name, this.version) });
  }
}

/** A recorder's last recorded type, for the runtime it was recorded in. */
interface RecordedType {
  readonly runtime: ActivityRuntime;
  readonly given: string;
  readonly type: string;
  readonly eventName: string;
  readonly scope: InstrumentationScope;
}

/** `String(value)`, without the call for a string (most descriptions and results), and never throwing. */
function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : safeString(value);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

/** The audit row of an audit record. */
function auditEventOf(record: ActionRecord, eventId: string): AuditEventInput {
  const f = record.fields;
  const str = (value: unknown) => (typeof value === 'string' ? value : null);
  const span = trace.getActiveSpan()?.spanContext();
  return {
    eventId,
    occurredAt: new Date(Math.floor(record.timeMillis)),
    action: f.auditAction as string,
    resourceType: str(f.auditResourceType),
    resourceId: str(f.auditResourceId),
    outcome: f.auditOutcome === 'failure' ? 'failure' : 'success',
    userId: str(f.userId),
    userName: str(f.userName),
    tenantId: str(f.tenantId),
    sessionId: str(f.sessionId),
    requestId: str(f.requestId),
    ipAddress: str(f.clientAddress),
    userAgent: str(f.userAgent),
    category: str(f.category),
    level: record.severity.text.toLowerCase(),
    riskScore: typeof f.riskScore === 'number' ? f.riskScore : null,
    durationMs: null,
    description: str(f.description),
    traceId: span?.traceId ?? null,
    spanId: span?.spanId ?? null,
    details: (f.auditDetails as Record<string, unknown> | undefined) ?? null,
  };
}
