import { ActivityRecorder } from './actions/ActivityRecorder.ts';
import type { ActivityIdentity, ActivityUser } from './config/options.ts';
import { currentScope, setError, setRoute, setSession, setTenant, setUser, withContext } from './context/activity-context.ts';
import { type ActivityStats, snapshotStats } from './internal/stats.ts';
import { getRuntime } from './setup/runtime.ts';

const recorders = new Map<string, ActivityRecorder>();

/** What the current scope has bound (for the app's own logging or checks). */
export interface ActivityContextSnapshot {
  requestId?: string;
  user?: ActivityUser;
  tenantId?: string;
  sessionId?: string;
}

/**
 * The entry point of the API, shaped like OpenTelemetry's `trace`:
 * `activity.getRecorder('billing').recordAction({...})`, and the identity binders the
 * app calls after it authenticates. Usable before the pipeline starts (records made
 * before `startActivity` or the preload go nowhere).
 */
export const activity = Object.freeze({
  /** A recorder for one part of the app (its name is the records' instrumentation scope). */
  getRecorder(name: string, version?: string): ActivityRecorder {
    const key = version === undefined ? name : `${name}@${version}`;
    let recorder = recorders.get(key);
    if (recorder === undefined) recorders.set(key, (recorder = new ActivityRecorder(name, version)));
    return recorder;
  },
  setUser,
  setTenant,
  setSession,
  setRoute,
  setError,
  withContext: withContext as <R>(identity: ActivityIdentity, fn: () => R) => R,
  /** The current request's (or withContext's) bound identity, or undefined outside any. */
  current(): ActivityContextSnapshot | undefined {
    const scope = currentScope();
    if (scope === undefined) return undefined;
    return { requestId: scope.requestId, user: scope.user, tenantId: scope.tenantId, sessionId: scope.sessionId };
  },
  /** Counters of records emitted, dropped and failed. */
  stats(): ActivityStats {
    return snapshotStats();
  },
  /** Waits until every output has written or exported what it holds. */
  flush(): Promise<void> {
    return getRuntime()?.forceFlush() ?? Promise.resolve();
  },
});
