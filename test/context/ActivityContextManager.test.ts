import { EventEmitter } from 'node:events';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityContextManager } from '../../src/context/ActivityContextManager.ts';
import { ActivityScope } from '../../src/context/ActivityScope.ts';
import { applyInScope, currentScope, setUser, withContext } from '../../src/context/activity-context.ts';

const KEY = createContextKey('test key');
const inScope = <R>(scope: ActivityScope, fn: () => R): R => applyInScope(scope, fn, undefined, []);

describe('ActivityContextManager', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new ActivityContextManager());
  });
  afterAll(() => context.disable());

  it("should make a scope's OpenTelemetry context the active one, across awaits", async () => {
    const scope = new ActivityScope(undefined, undefined, ROOT_CONTEXT.setValue(KEY, 'request span'));
    const seen = await inScope(scope, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return context.active().getValue(KEY);
    });
    expect(seen).toBe('request span');
    expect(context.active()).toBe(ROOT_CONTEXT);
  });

  it("should keep the request's identity shared inside context.with, so what is bound there reaches the request", async () => {
    const request = new ActivityScope();
    await inScope(request, () =>
      context.with(context.active().setValue(KEY, 'child span'), async () => {
        await Promise.resolve();
        expect(context.active().getValue(KEY)).toBe('child span');
        expect(currentScope()).toBe(request);
        setUser({ id: 'bound-in-a-child-span' });
      }),
    );
    expect(request.user).toEqual({ id: 'bound-in-a-child-span' });
  });

  it('should give withContext a scope of its own that keeps the active OpenTelemetry context', () => {
    const request = new ActivityScope(undefined, undefined, ROOT_CONTEXT.setValue(KEY, 'request span'));
    inScope(request, () =>
      withContext({ user: { id: 'job-user' } }, () => {
        expect(context.active().getValue(KEY)).toBe('request span');
        expect(currentScope()?.user).toEqual({ id: 'job-user' });
        setUser({ id: 'changed-in-the-job' });
      }),
    );
    expect(request.user).toBeUndefined();
  });

  it('should run listeners of a bound event emitter in the bound context', () => {
    const emitter = context.bind(ROOT_CONTEXT.setValue(KEY, 'bound'), new EventEmitter());
    let seen: unknown;
    emitter.on('ping', () => (seen = context.active().getValue(KEY)));
    emitter.emit('ping');
    expect(seen).toBe('bound');
  });

  it('should attach a context until its token is disposed', () => {
    const request = new ActivityScope();
    inScope(request, () => {
      const token = new ActivityContextManager().attach(ROOT_CONTEXT.setValue(KEY, 'attached'));
      expect(context.active().getValue(KEY)).toBe('attached');
      expect(currentScope()).toBe(request);
      token.dispose();
      expect(context.active().getValue(KEY)).toBeUndefined();
      expect(currentScope()).toBe(request);
    });
  });
});
