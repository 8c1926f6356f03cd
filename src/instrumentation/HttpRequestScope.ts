import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { ActivityScope } from '../context/ActivityScope.ts';

/** Where a request's scope hangs on its req and res objects. */
export const kHttpScope: unique symbol = Symbol('otel-activity.httpScope');

/** An HTTP request in flight: its activity scope plus what its records need at the end. */
export class HttpRequestScope extends ActivityScope {
  declare readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** performance.now() at the start, in milliseconds. */
  readonly startPerf: number;
  /** The route template, when the framework told us (`/items/:id`). */
  route: string | undefined;
  /** The error the handler threw (from Express' router or Fastify channels, or a sync throw). */
  error: unknown;
  /** The error record was already emitted (a sync throw emits at once: the process may die). */
  errorRecorded: boolean;
  /** The process exited with the response unfinished (rather than the client going away). */
  interruptedByExit: boolean;
  /** The request's SERVER span, when tracing is on. */
  span: Span | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, startPerf: number) {
    super(req);
    this.res = res;
    this.startPerf = startPerf;
    this.route = undefined;
    this.error = undefined;
    this.errorRecorded = false;
    this.interruptedByExit = false;
    this.span = undefined;
  }
}

/** The scope of a request, from its req or res object. */
export function httpScopeOf(target: IncomingMessage | ServerResponse | undefined): HttpRequestScope | undefined {
  return (target as { [kHttpScope]?: HttpRequestScope } | undefined)?.[kHttpScope];
}
