import type { IncomingMessage } from 'node:http';
import type { Context } from '@opentelemetry/api';
import type { ActivityUser } from '../config/options.ts';

/**
 * What an action recorded "now" belongs to: identity bound by the app, and, inside
 * an HTTP request, the request itself. One mutable object per request (or per
 * `withContext` call), shared by everything that runs on its behalf, so what the
 * app binds after an await still reaches the request's record.
 */
export class ActivityScope {
  requestId: string | undefined;
  sessionId: string | undefined;
  user: ActivityUser | undefined;
  tenantId: string | undefined;
  /** The incoming request, inside HTTP instrumentation. */
  readonly req: IncomingMessage | undefined;
  /** The OpenTelemetry context of the request (its server span), when tracing is on. */
  otelContext: Context | undefined;

  constructor(req?: IncomingMessage, parent?: ActivityScope) {
    this.req = req ?? parent?.req;
    this.requestId = parent?.requestId;
    this.sessionId = parent?.sessionId;
    this.user = parent?.user;
    this.tenantId = parent?.tenantId;
    this.otelContext = parent?.otelContext;
  }
}
