import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, diag } from '@opentelemetry/api';
import type { ActivityIdentity, ActivityUser } from '../config/options.ts';
import { ActivityScope, OtelContextEntry, type ScopeEntry } from './ActivityScope.ts';

const storage = new AsyncLocalStorage<ScopeEntry>();

/** The scope of the code running now: its request, or its `withContext` call. */
export function currentScope(): ActivityScope | undefined {
  return storage.getStore()?.owner;
}

/** The OpenTelemetry context active now (undefined: the root context). */
export function currentOtelContext(): Context | undefined {
  return storage.getStore()?.otelContext;
}

/**
 * Calls `fn` with `entry` as the current scope (and everything it starts, across
 * awaits), passing a receiver and arguments without allocating a closure.
 */
export function applyInScope<R>(entry: ScopeEntry, fn: (...args: any[]) => R, thisArg: unknown, args: ArrayLike<unknown>): R {
  return storage.run(entry, applyWith, fn, thisArg, args) as R;
}

/**
 * Calls `fn` with `otelContext` active, in the current scope: identity bound inside
 * it still reaches the current request. (OpenTelemetry's `context.with`, when
 * otel-activity's context manager is registered.)
 */
export function applyWithOtelContext<R>(otelContext: Context, fn: (...args: any[]) => R, thisArg: unknown, args: ArrayLike<unknown>): R {
  const current = storage.getStore();
  if (current?.otelContext === otelContext) return Reflect.apply(fn, thisArg, args);
  return storage.run(new OtelContextEntry(current?.owner, otelContext), applyWith, fn, thisArg, args) as R;
}

/**
 * Makes `otelContext` active for the rest of the current execution and what it starts
 * (OpenTelemetry's experimental `attach`); `dispose()` of the result restores the previous one.
 */
export function enterOtelContext(otelContext: Context): { dispose(): void } {
  const previous = storage.getStore();
  storage.enterWith(new OtelContextEntry(previous?.owner, otelContext));
  let disposed = false;
  return {
    dispose(): void {
      if (disposed) return;
      disposed = true;
      storage.enterWith(previous as ScopeEntry);
    },
  };
}

function applyWith<R>(fn: (...args: any[]) => R, thisArg: unknown, args: ArrayLike<unknown>): R {
  return Reflect.apply(fn, thisArg, args);
}

function scopeFor(what: string): ActivityScope | undefined {
  const scope = storage.getStore()?.owner;
  if (scope === undefined) diag.warn(`otel-activity: ${what} called outside a request or withContext(); ignored`);
  return scope;
}

/**
 * Binds the authenticated user to the current request (or `withContext` scope):
 * its activity record and every action recorded in it carry `user.id` (and
 * `user.name`, `user.roles`). Returns false when there is no current scope.
 */
export function setUser(user: ActivityUser | undefined): boolean {
  const scope = scopeFor('setUser');
  if (scope === undefined) return false;
  scope.user = user === undefined ? undefined : normalizeUser(user);
  return true;
}

/** Binds the tenant (`tenant.id`) to the current scope. */
export function setTenant(tenantId: string | undefined): boolean {
  const scope = scopeFor('setTenant');
  if (scope === undefined) return false;
  scope.tenantId = tenantId === undefined ? undefined : String(tenantId);
  return true;
}

/** Binds the session (`session.id`) to the current scope. Pass an opaque id, not a credential. */
export function setSession(sessionId: string | undefined): boolean {
  const scope = scopeFor('setSession');
  if (scope === undefined) return false;
  scope.sessionId = sessionId === undefined ? undefined : String(sessionId);
  return true;
}

/**
 * Names the route template of the current request (`/items/:id`), for apps and
 * routers the instrumentation cannot learn it from (Express and Fastify need not).
 */
export function setRoute(route: string): boolean {
  const scope = scopeFor('setRoute');
  if (scope === undefined || !('route' in scope)) return false;
  (scope as { route: string | undefined }).route = String(route);
  return true;
}

/**
 * Attaches the error a request failed with, from an app's own error handler: the
 * request's `error` record then carries its type and message, not just the status.
 */
export function setError(error: unknown): boolean {
  const scope = scopeFor('setError');
  if (scope === undefined || !('error' in scope)) return false;
  (scope as { error: unknown }).error ??= error;
  return true;
}

/**
 * Runs `fn` with this identity bound, for work outside HTTP requests (jobs, queue
 * consumers). Inside a request, the request's other facts (request id, client) are
 * kept and only the given identity parts are replaced.
 */
export function withContext<R>(identity: ActivityIdentity, fn: () => R): R {
  const current = storage.getStore();
  const scope = new ActivityScope(undefined, current?.owner, current?.otelContext);
  if (identity.user !== undefined) scope.user = normalizeUser(identity.user);
  if (identity.tenant !== undefined) scope.tenantId = String(identity.tenant);
  if (identity.session !== undefined) scope.sessionId = String(identity.session);
  return storage.run(scope, fn);
}

/** Copies what the app gave, keeping only the fields of the contract, as strings. */
export function normalizeUser(user: ActivityUser): ActivityUser {
  const out: ActivityUser = { id: String(user.id) };
  if (user.name !== undefined && user.name !== null) out.name = String(user.name);
  if (Array.isArray(user.roles)) out.roles = user.roles.map(String);
  return out;
}
