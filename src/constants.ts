/**
 * The vocabularies of a record: activity types, categories, audit actions, levels.
 * Custom values are accepted everywhere a type, category or action is taken; these
 * are the ones the narrative, the dashboards and the audit queries know by name.
 */

/** Activity types (the seed's action types, plus `security` and `audit`). */
export const ActivityType = Object.freeze({
  NAVIGATION: 'navigation',
  CLICK: 'click',
  FORM_SUBMISSION: 'form_submission',
  API_CALL: 'api_call',
  SEARCH: 'search',
  DOWNLOAD: 'download',
  UPLOAD: 'upload',
  AUTH: 'auth',
  ERROR: 'error',
  PERFORMANCE: 'performance',
  SECURITY: 'security',
  AUDIT: 'audit',
} as const);
export type KnownActivityType = (typeof ActivityType)[keyof typeof ActivityType];
/** A known type or any custom string. */
export type ActivityTypeName = KnownActivityType | (string & {});

/** Activity categories (the event categories of the monitoring seed). */
export const ActivityCategory = Object.freeze({
  AUTHENTICATION: 'authentication',
  AUTHORIZATION: 'authorization',
  USER_MANAGEMENT: 'user_management',
  DATA_MANAGEMENT: 'data_management',
  SYSTEM: 'system',
  SECURITY: 'security',
  WORKFLOW: 'workflow',
  API: 'api',
  FILE: 'file',
  CONFIGURATION: 'configuration',
} as const);
export type KnownActivityCategory = (typeof ActivityCategory)[keyof typeof ActivityCategory];
export type ActivityCategoryName = KnownActivityCategory | (string & {});

/** Audit actions. */
export const AuditAction = Object.freeze({
  CREATE: 'CREATE',
  READ: 'READ',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
  LOGIN: 'LOGIN',
  LOGOUT: 'LOGOUT',
  EXPORT: 'EXPORT',
  PERMISSION_CHANGE: 'PERMISSION_CHANGE',
  /** Written by the retention job about itself. */
  PURGE: 'PURGE',
  /** Written by GDPR anonymisation about itself. */
  ANONYMIZE: 'ANONYMIZE',
  /** Written by a hash-chain verification (the collector's audit sink, hourly) with its verdict. */
  VERIFY: 'VERIFY',
} as const);
export type KnownAuditAction = (typeof AuditAction)[keyof typeof AuditAction];
export type AuditActionName = KnownAuditAction | (string & {});

/** Record levels, mapped onto OpenTelemetry severity numbers by `severityOf`. */
export const ActivityLevel = Object.freeze({
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
} as const);
export type ActivityLevelName = (typeof ActivityLevel)[keyof typeof ActivityLevel];
