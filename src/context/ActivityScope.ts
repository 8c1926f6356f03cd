import type { IncomingMessage } from 'node:http';
import type { Context } from '@opentelemetry/api';
import type { ActivityUser } from '../config/options.ts';

/**
 * What the current async execution belongs to: the identity owner (a request, or a
 * `withContext` call) and the OpenTelemetry context that is active in it. One
 * AsyncLocalStorage carries both, so tracing adds no second store to propagate.
 */
export interface ScopeEntry {
  /** Where identity is bound; undefined outside any request or `withContext`. */
  readonly owner: ActivityScope | undefined;
  /** The active OpenTelemetry context (undefined: the root context). */
  readonly otelContext: Context | undefined;
}

/**
 * What an action recorded "now" belongs to: identity bound by the app, and, inside
 * an HTTP request, the request itself. One mutable object per request (or per
 * `withContext` call), shared by everything that runs on its behalf, so what the
 * app binds after an await still reaches the request's record.
 */
export class ActivityScope implements ScopeEntry {
  readonly owner: ActivityScope;
  requestId: string | undefined;
  sessionId: string | undefined;
  user: ActivityUser | undefined;
  tenantId: string | undefined;
  /** The incoming request, inside HTTP instrumentation. */
  readonly req: IncomingMessage | undefined;
  /** The OpenTelemetry context it runs in (a request's server span, when tracing is on). */
  otelContext: Context | undefined;

  constructor(req?: IncomingMessage, parent?: ActivityScope, otelContext?: Context) {
    this.owner = this;
    this.req = req ?? parent?.req;
    this.requestId = parent?.requestId;
    this.sessionId = parent?.sessionId;
    this.user = parent?.user;
    this.tenantId = parent?.tenantId;
    this.otelContext = otelContext;
  }
}

/** The same owner under another OpenTelemetry context (what `context.with` makes inside a request). */
export class OtelContextEntry implements ScopeEntry {
  readonly owner: ActivityScope | undefined;
  readonly otelContext: Context | undefined;

  constructor(owner: ActivityScope | undefined, otelContext: Context | undefined) {
    this.owner = owner;
    this.otelContext = otelContext;
  }
}
