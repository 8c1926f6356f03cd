import { type Context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { applyWithOtelContext, currentOtelContext, enterOtelContext } from './activity-context.ts';

/**
 * OpenTelemetry's context manager, kept in otel-activity's own AsyncLocalStorage: the
 * active OpenTelemetry context travels with the activity scope in one store, so that
 * tracing does not add a second store to every async resource a request creates, and
 * a request's handler needs one scope switch, not two. Binding functions and event
 * emitters is OpenTelemetry's own (inherited: it calls `with`).
 */
export class ActivityContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    return currentOtelContext() ?? ROOT_CONTEXT;
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return applyWithOtelContext(context, fn, thisArg, args);
  }

  override attach(context: Context): { dispose(): void } {
    return enterOtelContext(context);
  }

  /** The store is otel-activity's and outlives the registration: nothing to stop here. */
  override disable(): this {
    return this;
  }
}
