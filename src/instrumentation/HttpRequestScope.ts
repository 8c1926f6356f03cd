import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Span } from '@opentelemetry/api';
import type { ActivityUser } from '../config/options.ts';

/** Where a request's scope hangs on its req and res objects. */
export const kHttpScope: unique symbol = Symbol('otel-activity.httpScope');

/**
 * An HTTP request in flight: its activity scope (the identity the app binds, and its
 * OpenTelemetry context, as in ActivityScope, which it matches member for member)
 * plus what its records need at the end. Not a subclass: a derived constructor costs
 * more per request than the few duplicated lines.
 */
export class HttpRequestScope {
  /** A request owns its identity (see ScopeEntry). */
  readonly owner: HttpRequestScope = this;
  requestId: string | undefined = undefined;
  sessionId: string | undefined = undefined;
  user: ActivityUser | undefined = undefined;
  tenantId: string | undefined = undefined;
  readonly req: IncomingMessage;
  /** The OpenTelemetry context of the request (its server span), when tracing is on. */
  otelContext: Context | undefined = undefined;
  readonly res: ServerResponse;
  /** performance.now() at the start, in milliseconds. */
  readonly startPerf: number;
  /** The route template, when the framework told us (`/items/:id`). */
  route: string | undefined = undefined;
  /** The error the handler threw (from Express' router or Fastify channels, or a sync throw). */
  error: unknown = undefined;
  /** The error record was already emitted (a sync throw emits at once: the process may die). */
  errorRecorded = false;
  /** The process exited with the response unfinished (rather than the client going away). */
  interruptedByExit = false;
  /** The request's SERVER span, when tracing is on. */
  span: Span | undefined = undefined;
  /** Neighbours in the list of requests in flight (see HttpActivityInstrumentation). */
  prev: HttpRequestScope | undefined = undefined;
  next: HttpRequestScope | undefined = undefined;
  /** Still in the list of requests in flight (its record not yet made). */
  inFlight = false;

  constructor(req: IncomingMessage, res: ServerResponse, startPerf: number) {
    this.req = req;
    this.res = res;
    this.startPerf = startPerf;
  }
}

/** The scope of a request, from its req or res object. */
export function httpScopeOf(target: IncomingMessage | ServerResponse | undefined): HttpRequestScope | undefined {
  return (target as { [kHttpScope]?: HttpRequestScope } | undefined)?.[kHttpScope];
}
