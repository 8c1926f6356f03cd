import type { AnyValue, Attributes } from '@opentelemetry/api';
import * as A from '../semconv.ts';

/**
 * The record contract (semconv.ts) as fixed fields: what one record says about an
 * action, its request, who did it, and (for audit records) the audit event.
 *
 * otel-activity's own records carry their attributes in this form and build the
 * OpenTelemetry attribute map only when an exporter asks for it, so the narrative and
 * the JSON line read fixed fields of one class instead of looking names up in maps of
 * many shapes. Every field is undefined when the record does not have it. Values are
 * AnyValues: records of other code may carry, say, a numeric `user.id`.
 */
export class ActivityFields {
  // activity.*
  type: AnyValue | undefined = undefined;
  category: AnyValue | undefined = undefined;
  description: AnyValue | undefined = undefined;
  result: AnyValue | undefined = undefined;
  success: AnyValue | undefined = undefined;
  /** Milliseconds. */
  durationMs: AnyValue | undefined = undefined;
  /** 0-100. */
  riskScore: AnyValue | undefined = undefined;
  data: AnyValue | undefined = undefined;
  // The request.
  requestId: AnyValue | undefined = undefined;
  method: AnyValue | undefined = undefined;
  path: AnyValue | undefined = undefined;
  query: AnyValue | undefined = undefined;
  urlFull: AnyValue | undefined = undefined;
  route: AnyValue | undefined = undefined;
  status: AnyValue | undefined = undefined;
  clientAddress: AnyValue | undefined = undefined;
  userAgent: AnyValue | undefined = undefined;
  referer: AnyValue | undefined = undefined;
  // Identity.
  sessionId: AnyValue | undefined = undefined;
  userId: AnyValue | undefined = undefined;
  userName: AnyValue | undefined = undefined;
  userRoles: AnyValue | undefined = undefined;
  tenantId: AnyValue | undefined = undefined;
  // Errors.
  errorType: AnyValue | undefined = undefined;
  exceptionType: AnyValue | undefined = undefined;
  exceptionMessage: AnyValue | undefined = undefined;
  exceptionStacktrace: AnyValue | undefined = undefined;
  // audit.*
  auditEventId: AnyValue | undefined = undefined;
  auditAction: AnyValue | undefined = undefined;
  auditResourceType: AnyValue | undefined = undefined;
  auditResourceId: AnyValue | undefined = undefined;
  auditDetails: AnyValue | undefined = undefined;
  auditOutcome: AnyValue | undefined = undefined;
  auditPersisted: AnyValue | undefined = undefined;
  /** Attributes outside the contract, by name. */
  extra: Record<string, AnyValue> | undefined = undefined;

  /** A copy (for a record derived from another, such as a request's error record). */
  clone(): ActivityFields {
    const copy = Object.assign(new ActivityFields(), this);
    if (this.extra !== undefined) copy.extra = { ...this.extra };
    return copy;
  }

  /** The OpenTelemetry attributes: the fields that are set, under their contract names, in contract order. */
  toAttributes(): Attributes {
    const a: Record<string, AnyValue> = {};
    for (const [name, field] of CONTRACT) {
      const value = this[field];
      if (value !== undefined) a[name] = value as AnyValue;
    }
    if (this.extra !== undefined) Object.assign(a, this.extra);
    return a as Attributes;
  }

  /** The fields of an attribute map (a record made by other code, or one a processor changed). */
  static fromAttributes(attributes: Attributes): ActivityFields {
    const f = new ActivityFields();
    for (const key in attributes) {
      const value = attributes[key] as AnyValue;
      if (value === undefined) continue;
      const field = FIELD_OF_ATTRIBUTE.get(key);
      if (field !== undefined) (f as unknown as Record<string, AnyValue>)[field] = value;
      else (f.extra ??= {})[key] = value;
    }
    return f;
  }
}

/** A contract attribute and the field that holds it. */
export type ContractField = Exclude<keyof ActivityFields, 'extra' | 'clone' | 'toAttributes'>;

/**
 * The record contract: every attribute name with its field, in the order records
 * carry them (the order of `toAttributes` and of the OTLP encoding).
 */
export const CONTRACT: readonly (readonly [attribute: string, field: ContractField])[] = [
  [A.ATTR_ACTIVITY_TYPE, 'type'],
  [A.ATTR_ACTIVITY_CATEGORY, 'category'],
  [A.ATTR_ACTIVITY_DESCRIPTION, 'description'],
  [A.ATTR_ACTIVITY_RESULT, 'result'],
  [A.ATTR_ACTIVITY_SUCCESS, 'success'],
  [A.ATTR_ACTIVITY_DURATION_MS, 'durationMs'],
  [A.ATTR_ACTIVITY_RISK_SCORE, 'riskScore'],
  [A.ATTR_ACTIVITY_DATA, 'data'],
  [A.ATTR_REQUEST_ID, 'requestId'],
  [A.ATTR_HTTP_REQUEST_METHOD, 'method'],
  [A.ATTR_URL_PATH, 'path'],
  [A.ATTR_URL_QUERY, 'query'],
  [A.ATTR_URL_FULL, 'urlFull'],
  [A.ATTR_HTTP_ROUTE, 'route'],
  [A.ATTR_HTTP_RESPONSE_STATUS_CODE, 'status'],
  [A.ATTR_CLIENT_ADDRESS, 'clientAddress'],
  [A.ATTR_USER_AGENT_ORIGINAL, 'userAgent'],
  [A.ATTR_HTTP_REQUEST_HEADER_REFERER, 'referer'],
  [A.ATTR_SESSION_ID, 'sessionId'],
  [A.ATTR_USER_ID, 'userId'],
  [A.ATTR_USER_NAME, 'userName'],
  [A.ATTR_USER_ROLES, 'userRoles'],
  [A.ATTR_TENANT_ID, 'tenantId'],
  [A.ATTR_ERROR_TYPE, 'errorType'],
  [A.ATTR_EXCEPTION_TYPE, 'exceptionType'],
  [A.ATTR_EXCEPTION_MESSAGE, 'exceptionMessage'],
  [A.ATTR_EXCEPTION_STACKTRACE, 'exceptionStacktrace'],
  [A.ATTR_AUDIT_EVENT_ID, 'auditEventId'],
  [A.ATTR_AUDIT_ACTION, 'auditAction'],
  [A.ATTR_AUDIT_RESOURCE_TYPE, 'auditResourceType'],
  [A.ATTR_AUDIT_RESOURCE_ID, 'auditResourceId'],
  [A.ATTR_AUDIT_DETAILS, 'auditDetails'],
  [A.ATTR_AUDIT_OUTCOME, 'auditOutcome'],
  [A.ATTR_AUDIT_PERSISTED, 'auditPersisted'],
];

/** The field of each contract attribute. */
const FIELD_OF_ATTRIBUTE: ReadonlyMap<string, ContractField> = new Map(CONTRACT);
