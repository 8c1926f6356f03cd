import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Tracer } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ResolvedConfig } from '../config/options.ts';
import { applyInScope, currentScope, normalizeUser } from '../context/activity-context.ts';
import { ActivityScope } from '../context/ActivityScope.ts';
import { http, https } from '../internal/http-builtins.ts';
import { reportError } from '../internal/report-error.ts';
import type { ActivityEmitter } from '../records/ActivityEmitter.ts';
import type { TextCleaner } from '../records/create-text-cleaner.ts';
import { buildErrorRecord, buildRequestRecord } from './build-request-records.ts';
import { HttpRequestScope, httpScopeOf, kHttpScope } from './HttpRequestScope.ts';
import { requestIdFrom, splitUrl } from './request-facts.ts';
import { endServerSpan, startServerSpan } from './server-span.ts';

export type HttpActivitySettings = Pick<
  ResolvedConfig,
  'ignorePaths' | 'ignore' | 'requestIdHeader' | 'identify' | 'trustProxy' | 'sessionCookies' | 'slowMs' | 'verySlowMs'
>;

export interface HttpActivityInstrumentationOptions {
  settings: HttpActivitySettings;
  emitter: ActivityEmitter;
  /** The instrumentation scope of HTTP records. */
  scope: InstrumentationScope;
  /** Masks and bounds the request's strings (the records are premasked). */
  clean: TextCleaner;
  /** When tracing is on: each request gets a SERVER span, and its records the span's ids. */
  tracer?: Tracer;
}

type Emit = (this: unknown, ...args: any[]) => boolean;
type Patchable = { emit: Emit & { [kOriginal]?: Emit } };
const kOriginal: unique symbol = Symbol('otel-activity.originalEmit');
const SERVER_PROTOTYPES = [http.Server.prototype, https.Server.prototype] as unknown as Patchable[];
const INCOMING_PROTOTYPE = http.IncomingMessage.prototype as unknown as Patchable;

/** The enabled instance; the emit wrappers are process-wide and look it up per request. */
let active: HttpActivityInstrumentation | undefined;

/**
 * Turns every incoming HTTP request (node:http and node:https servers, so Express,
 * Fastify and anything else built on them) into an activity record when its response
 * ends. It wraps `Server#emit('request')` to run the handler in the request's
 * activity scope, listens to the response's `close`, and learns routes and thrown
 * errors from the frameworks' diagnostics channels (Fastify 5, Express 5's router
 * >= 2.3). Patching prototypes of built-in modules works the same for ESM and
 * CommonJS apps, with no loader hooks.
 */
export class HttpActivityInstrumentation {
  private readonly _settings: HttpActivitySettings;
  private readonly _emitter: ActivityEmitter;
  private readonly _scope: InstrumentationScope;
  private readonly _clean: TextCleaner;
  private readonly _tracer: Tracer | undefined;
  /**
   * Requests whose response has not closed yet, for {@link recordInFlight}: a list
   * linked through the scopes (cheaper per request than a Set's hashing).
   */
  private _newest: HttpRequestScope | undefined = undefined;

  constructor(options: HttpActivityInstrumentationOptions) {
    this._settings = options.settings;
    this._emitter = options.emitter;
    this._scope = options.scope;
    this._clean = options.clean;
    this._tracer = options.tracer;
  }

  enable(): void {
    active = this;
    for (const proto of SERVER_PROTOTYPES) patch(proto, wrapServerEmit);
    patch(INCOMING_PROTOTYPE, wrapIncomingEmit);
    subscribe('tracing:fastify.request.handler:start', onFastifyHandlerStart);
    subscribe('tracing:fastify.request.handler:error', onFrameworkError);
    subscribe('tracing:express.router.request:error', onFrameworkError);
  }

  disable(): void {
    if (active === this) active = undefined;
    for (const proto of [...SERVER_PROTOTYPES, INCOMING_PROTOTYPE]) {
      const original = proto.emit[kOriginal];
      if (original !== undefined) proto.emit = original;
    }
    unsubscribe('tracing:fastify.request.handler:start', onFastifyHandlerStart);
    unsubscribe('tracing:fastify.request.handler:error', onFrameworkError);
    unsubscribe('tracing:express.router.request:error', onFrameworkError);
  }

  /** @internal called by the emit wrapper for each 'request' event. */
  _handleRequest(server: unknown, original: Emit, args: IArguments, req: IncomingMessage, res: ServerResponse): boolean {
    let scope: HttpRequestScope | undefined;
    try {
      if (!this._isIgnored(req)) scope = this._startRequest(req, res);
    } catch (error) {
      reportError('internalErrors', 'http request start', error);
      return original.apply(server, args as unknown as any[]);
    }
    // Ignored requests record nothing, but still get a scope of their own, so that
    // setUser/setRoute in shared middleware neither warns nor leaks elsewhere.
    if (scope === undefined) return applyInScope(new ActivityScope(req), original, server, args);
    try {
      // The handler runs in the request's scope, and so in its span when tracing is on
      // (for outgoing calls and the app's own spans): one store carries both.
      return applyInScope(scope, original, server, args);
    } catch (error) {
      // A synchronous throw out of the handler: the process may die of it before the
      // response closes, so the error record goes out now.
      scope.error ??= error;
      this._emitErrorNow(scope);
      throw error;
    }
  }

  /** The scope of a request that is recorded: request id (echoed), identity hook, response hook. */
  private _startRequest(req: IncomingMessage, res: ServerResponse): HttpRequestScope {
    const scope = new HttpRequestScope(req, res, performance.now());
    const settings = this._settings;
    scope.requestId = requestIdFrom(req.headers[settings.requestIdHeader]);
    res.setHeader(settings.requestIdHeader, scope.requestId);
    if (settings.identify !== undefined) this._identify(scope, settings.identify);
    if (this._tracer !== undefined) {
      const started = startServerSpan(this._tracer, req, this._clean, settings.trustProxy);
      scope.span = started.span;
      scope.otelContext = started.context;
    }
    (req as { [kHttpScope]?: HttpRequestScope })[kHttpScope] = scope;
    (res as { [kHttpScope]?: HttpRequestScope })[kHttpScope] = scope;
    res.on('close', onResponseClose);
    scope.inFlight = true;
    scope.next = this._newest;
    if (this._newest !== undefined) this._newest.prev = scope;
    this._newest = scope;
    return scope;
  }

  /**
   * Records the requests still in flight, as aborted, with `error` as their cause:
   * for a process that is exiting (a crash in an async handler kills it before any
   * response closes). Call it from 'exit', then flush the file output synchronously.
   */
  recordInFlight(error: unknown): void {
    for (let scope = this._newest; scope !== undefined; scope = this._newest) {
      if (error !== undefined && scope.error === undefined) scope.error = error;
      scope.interruptedByExit = true;
      this._finish(scope);
    }
  }

  /** @internal called when a response closes (finished or aborted). */
  _finish(scope: HttpRequestScope): void {
    if (!scope.inFlight) return; // already recorded
    this._unlink(scope);
    try {
      const record = buildRequestRecord(scope, this._settings, this._clean, performance.now());
      this._emitter.emit(this._scope, record, scope.otelContext);
      if (record.serverError && !scope.errorRecorded) this._emitter.emit(this._scope, buildErrorRecord(scope, record, this._clean), scope.otelContext);
      if (scope.span !== undefined) {
        const f = record.fields;
        const status = f.status as number | undefined;
        const failed = scope.error !== undefined || status === undefined || status >= 500;
        endServerSpan(scope.span, this._clean, {
          method: f.method as string,
          route: f.route as string | undefined,
          status,
          error: scope.error,
          errorType: failed ? (f.errorType as string | undefined) : undefined,
        });
      }
    } catch (error) {
      reportError('internalErrors', 'http activity record', error);
    }
  }

  private _unlink(scope: HttpRequestScope): void {
    scope.inFlight = false;
    if (scope.prev !== undefined) scope.prev.next = scope.next;
    else this._newest = scope.next;
    if (scope.next !== undefined) scope.next.prev = scope.prev;
    scope.prev = scope.next = undefined;
  }

  private _emitErrorNow(scope: HttpRequestScope): void {
    try {
      // The request as it stands (no response yet); only its error record goes out now,
      // the request's own record follows when the response closes or the process exits.
      const request = buildRequestRecord(scope, this._settings, this._clean, performance.now());
      scope.errorRecorded = true;
      if (request.serverError) this._emitter.emit(this._scope, buildErrorRecord(scope, request, this._clean), scope.otelContext);
    } catch (error) {
      reportError('internalErrors', 'http error record', error);
    }
  }

  private _isIgnored(req: IncomingMessage): boolean {
    const url = req.url ?? '/';
    // Compared in place: no path string is cut out for the common request that is not ignored.
    const target = url.charCodeAt(0) === 47 ? url : splitUrl(url).path;
    let end = target.indexOf('?');
    if (end < 0) end = target.length;
    const ignorePaths = this._settings.ignorePaths;
    for (let i = 0; i < ignorePaths.length; i++) {
      const ignored = ignorePaths[i]!;
      const n = ignored.length;
      if (end >= n && target.startsWith(ignored) && (end === n || target.charCodeAt(n) === 47)) return true;
    }
    const hook = this._settings.ignore;
    if (hook === undefined) return false;
    try {
      return hook(req) === true;
    } catch (error) {
      reportError('hookErrors', 'ignore hook', error);
      return false;
    }
  }

  private _identify(scope: HttpRequestScope, identify: NonNullable<HttpActivitySettings['identify']>): void {
    try {
      const identity = identify(scope.req);
      if (identity === undefined || identity === null) return;
      if (identity.user !== undefined && identity.user !== null && identity.user.id !== undefined) scope.user = normalizeUser(identity.user);
      if (identity.tenant !== undefined && identity.tenant !== null) scope.tenantId = String(identity.tenant);
      if (identity.session !== undefined && identity.session !== null) scope.sessionId = String(identity.session);
    } catch (error) {
      reportError('hookErrors', 'identify hook', error);
    }
  }
}

function patch(proto: Patchable, wrap: (original: Emit) => Emit): void {
  if (proto.emit[kOriginal] !== undefined) return;
  const original = proto.emit;
  const wrapped = wrap(original) as Emit & { [kOriginal]?: Emit };
  wrapped[kOriginal] = original;
  proto.emit = wrapped;
}

/** `Server#emit('request')`: the request starts, in its own scope. */
function wrapServerEmit(original: Emit): Emit {
  return function activityEmit(this: unknown, event: string | symbol, req?: unknown, res?: unknown): boolean {
    if (event !== 'request' || active === undefined) return original.apply(this, arguments as unknown as any[]);
    return active._handleRequest(this, original, arguments, req as IncomingMessage, res as ServerResponse);
  } as Emit;
}

/**
 * `IncomingMessage#emit`: the body's events ('data', 'end', …) come from the socket,
 * outside the request's scope; run their listeners in it, so identity bound in a
 * `req.on('end')` callback reaches the request's record. (Listeners are not wrapped;
 * only emits of instrumented requests that happen elsewhere pay for one scope switch.)
 */
function wrapIncomingEmit(original: Emit): Emit {
  return function activityIncomingEmit(this: unknown, event: string | symbol): boolean {
    const scope = (this as { [kHttpScope]?: HttpRequestScope })[kHttpScope];
    // No listener, nothing to run in a scope (a 'close' nobody listens to, say); nor for
    // Node's own listener alone (see isNodeEndListener).
    if (scope === undefined) return original.apply(this, arguments as unknown as any[]);
    const listeners = (this as { _events?: Record<string | symbol, unknown> })._events?.[event];
    if (listeners === undefined || isNodeEndListener(listeners) || currentScope() === scope) {
      return original.apply(this, arguments as unknown as any[]);
    }
    // Copied rather than passed on: an `arguments` object that leaves the function is
    // allocated on every call, the fast path's too (up to a few hundredths of bare in A/B runs of (a)).
    const args: unknown[] = [];
    for (let i = 0; i < arguments.length; i++) args.push(arguments[i]);
    return applyInScope(scope, original, this, args);
  } as Emit;
}

/** Node's `clearIncoming`, once seen. */
let nodeEndListener: unknown;

/**
 * Whether `listener` is Node's own `clearIncoming`, which the server adds to every
 * request's 'end' and which reads no scope. Running it in the request's scope cost a
 * scope switch per request. Recognised by name the first time, by identity after.
 */
function isNodeEndListener(listener: unknown): boolean {
  if (listener === nodeEndListener) return true;
  if (nodeEndListener !== undefined || typeof listener !== 'function' || listener.name !== 'clearIncoming') return false;
  nodeEndListener = listener;
  return true;
}

/** One shared listener (no closure per request); `this` is the response. */
function onResponseClose(this: ServerResponse): void {
  const scope = httpScopeOf(this);
  if (scope !== undefined && active !== undefined) active._finish(scope);
}

function onFastifyHandlerStart(message: unknown): void {
  const m = message as { request?: { raw?: IncomingMessage }; route?: { url?: unknown } };
  const scope = httpScopeOf(m.request?.raw);
  if (scope !== undefined && typeof m.route?.url === 'string') scope.route = m.route.url;
}

function onFrameworkError(message: unknown): void {
  const m = message as { error?: unknown; req?: IncomingMessage; request?: { raw?: IncomingMessage } };
  const scope = httpScopeOf(m.req ?? m.request?.raw);
  if (scope !== undefined && scope.error === undefined) scope.error = m.error;
}
