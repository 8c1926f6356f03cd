import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { currentScope } from '../context/activity-context.ts';
import { reportError } from '../internal/report-error.ts';
import { ActivityLogRecord } from '../records/ActivityLogRecord.ts';
import { ATTR_ACTIVITY_TYPE, ATTR_REQUEST_ID, ATTR_SESSION_ID, ATTR_TENANT_ID, ATTR_USER_ID, ATTR_USER_NAME } from '../semconv.ts';

/**
 * Gives any log record emitted during a request (or a `withContext` call) that
 * request's identity: `request.id`, `user.id`, `user.name`, `tenant.id`,
 * `session.id`, unless the record already has them. Activity records made by
 * otel-activity carry them already and are left alone, so a record is never given
 * the identity of whatever request happens to be current when it is emitted.
 */
export class ContextEnrichmentLogRecordProcessor implements LogRecordProcessor {
  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    if (logRecord instanceof ActivityLogRecord) return;
    try {
      const attributes = logRecord.attributes;
      if (attributes[ATTR_ACTIVITY_TYPE] !== undefined) return;
      const scope = currentScope();
      if (scope === undefined) return;
      if (scope.requestId !== undefined && attributes[ATTR_REQUEST_ID] === undefined) logRecord.setAttribute(ATTR_REQUEST_ID, scope.requestId);
      if (scope.user !== undefined && attributes[ATTR_USER_ID] === undefined) {
        logRecord.setAttribute(ATTR_USER_ID, scope.user.id);
        if (scope.user.name !== undefined) logRecord.setAttribute(ATTR_USER_NAME, scope.user.name);
      }
      if (scope.tenantId !== undefined && attributes[ATTR_TENANT_ID] === undefined) logRecord.setAttribute(ATTR_TENANT_ID, scope.tenantId);
      if (scope.sessionId !== undefined && attributes[ATTR_SESSION_ID] === undefined) logRecord.setAttribute(ATTR_SESSION_ID, scope.sessionId);
    } catch (error) {
      reportError('internalErrors', 'context enrichment', error);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
