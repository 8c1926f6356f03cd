import type { AuditActionName } from '../constants.ts';
import { reportError } from '../internal/report-error.ts';
import { ActivityRecorder } from './ActivityRecorder.ts';

/** How `audited` finds the id of the resource a call acted on. */
export type ResourceIdSource =
  /** A request parameter (`req.params[name]`) or a property of the first argument (`args[0][name]`). */
  | string
  /** Computed from the call. */
  | ((call: { args: unknown[]; result: unknown }) => string | number | null | undefined);

export interface AuditedOptions {
  /** Default: the result's `id`, else `req.params.id`. A name is looked up as a route parameter, then on the first argument. */
  resourceId?: ResourceIdSource;
  /** Extra details for the audit event. */
  details?: (call: { args: unknown[]; result: unknown; error?: unknown }) => Record<string, unknown> | undefined;
  /** The recorder to write with. Default: `activity.getRecorder('otel-activity/audited')`. */
  recorder?: ActivityRecorder;
}

type AnyFunction = (this: any, ...args: any[]) => unknown;

const DEFAULT_RECORDER = new ActivityRecorder('otel-activity/audited');

/**
 * Audits every call of a route handler or service method: a success event with the
 * resource id from the result or a parameter (so a 204 with no body still names its
 * resource), or a failure event when it throws (the error is rethrown) or, for a route
 * handler, when the response it leaves is 4xx/5xx.
 *
 * As a wrapper: `app.delete('/users/:id', audited('DELETE', 'user', handler, { resourceId: 'id' }))`.
 * As a decorator (standard or `experimentalDecorators`): `@audited('UPDATE', 'invoice')`.
 */
export function audited<F extends AnyFunction>(action: AuditActionName, resourceType: string, handler: F, options?: AuditedOptions): F;
export function audited(action: AuditActionName, resourceType: string, options?: AuditedOptions): AuditedDecorator;
export function audited(action: AuditActionName, resourceType: string, handlerOrOptions?: AnyFunction | AuditedOptions, maybeOptions?: AuditedOptions): unknown {
  if (typeof handlerOrOptions === 'function') return wrap(action, resourceType, handlerOrOptions, maybeOptions ?? {});
  const options = handlerOrOptions ?? {};
  return function decorate(target: unknown, context: unknown, descriptor?: PropertyDescriptor): unknown {
    if (descriptor !== undefined && typeof descriptor.value === 'function') {
      // experimentalDecorators: (prototype, name, descriptor)
      return { ...descriptor, value: wrap(action, resourceType, descriptor.value, options) };
    }
    // Standard decorators: (method, context)
    void context;
    return wrap(action, resourceType, target as AnyFunction, options);
  };
}

/** A method decorator, standard or legacy. */
export type AuditedDecorator = {
  <F extends AnyFunction>(method: F, context: ClassMethodDecoratorContext): F;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
};

function wrap<F extends AnyFunction>(action: AuditActionName, resourceType: string, handler: F, options: AuditedOptions): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = handler.apply(this, args);
    } catch (error) {
      record(action, resourceType, options, args, undefined, error);
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (value) => {
          record(action, resourceType, options, args, value, undefined);
          return value;
        },
        (error: unknown) => {
          record(action, resourceType, options, args, undefined, error);
          throw error;
        },
      );
    }
    record(action, resourceType, options, args, result, undefined);
    return result;
  };
  Object.defineProperty(wrapped, 'name', { value: handler.name });
  Object.defineProperty(wrapped, 'length', { value: handler.length });
  return wrapped as F;
}

function record(action: AuditActionName, resourceType: string, options: AuditedOptions, args: unknown[], result: unknown, error: unknown): void {
  try {
    const statusCode = responseStatus(args);
    const failed = error !== undefined || (statusCode !== undefined && statusCode >= 400);
    const details: Record<string, unknown> = { ...options.details?.({ args, result, error }) };
    if (error !== undefined) details.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (statusCode !== undefined) details.status_code = statusCode;
    void (options.recorder ?? DEFAULT_RECORDER).recordAudit({
      action,
      resource: { type: resourceType, id: resourceIdOf(options.resourceId, args, result) },
      outcome: failed ? 'failure' : 'success',
      details: Object.keys(details).length > 0 ? details : undefined,
    });
  } catch (failure) {
    reportError('internalErrors', 'audited', failure);
  }
}

function resourceIdOf(source: ResourceIdSource | undefined, args: unknown[], result: unknown): string | undefined {
  let id: unknown;
  if (typeof source === 'function') id = source({ args, result });
  else if (typeof source === 'string') id = paramsOf(args[0])?.[source] ?? (args[0] as Record<string, unknown> | undefined)?.[source];
  else id = (result as { id?: unknown } | null | undefined)?.id ?? paramsOf(args[0])?.id;
  return typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? String(id) : undefined;
}

/** Route parameters of an Express or Fastify request. */
function paramsOf(req: unknown): Record<string, unknown> | undefined {
  const params = (req as { params?: unknown } | null | undefined)?.params;
  return params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : undefined;
}

/** The status a route handler left on its response (Express `res`, Fastify `reply`), if it is one. */
function responseStatus(args: unknown[]): number | undefined {
  const res = args[1] as { statusCode?: unknown; headersSent?: unknown; sent?: unknown } | undefined;
  if (res === null || typeof res !== 'object') return undefined;
  if (!('headersSent' in res) && !('sent' in res)) return undefined;
  return typeof res.statusCode === 'number' ? res.statusCode : undefined;
}

function isThenable(value: unknown): value is Promise<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
