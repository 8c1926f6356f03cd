import { diag } from '@opentelemetry/api';
import type { AuditStore, VerifyResult } from '../src/audit/AuditStore.ts';
import { uuidv7 } from '../src/internal/uuidv7.ts';
import { AuditAction } from '../src/constants.ts';

/** The audit action of a chain verification's own audit event (the Audit trail dashboard shows the latest). */
export const VERIFY_ACTION = AuditAction.VERIFY;

/** A verification run, as the sink's /health reports it. */
export interface VerifySummary {
  at: string;
  ok: boolean;
  tenants: number;
  rows: number;
  broken: { tenantId: string; seq: number; eventId: string | null; reason: string }[];
}

/**
 * Verifies every tenant's hash chain periodically and records each result as an audit
 * event of its own (action VERIFY, no tenant, category system; outcome failure and
 * level error when a chain is broken), so the Audit trail dashboard can show the latest
 * verification and the trail itself shows when the table was checked. Runs once when
 * started, then every `intervalMillis` (0 = never); timers do not hold the process open.
 */
export class ChainVerifier {
  readonly #store: () => AuditStore | undefined;
  readonly #intervalMillis: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<VerifySummary | undefined> | undefined;
  #last: VerifySummary | undefined;

  constructor(store: () => AuditStore | undefined, intervalMillis: number) {
    this.#store = store;
    this.#intervalMillis = intervalMillis;
  }

  start(): void {
    if (this.#intervalMillis <= 0 || this.#timer !== undefined) return;
    void this.runNow();
    this.#timer = setInterval(() => void this.runNow(), this.#intervalMillis);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  last(): VerifySummary | undefined {
    return this.#last;
  }

  /** Verifies now (joining a run already in progress); never throws, undefined when it could not run. */
  runNow(): Promise<VerifySummary | undefined> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<VerifySummary | undefined> {
    const store = this.#store();
    if (store === undefined) return undefined;
    try {
      const summary = summarize(await store.verify({ allTenants: true }));
      await store.append([
        {
          eventId: uuidv7(),
          occurredAt: new Date(summary.at),
          action: VERIFY_ACTION,
          resourceType: 'activity_log',
          tenantId: null,
          category: 'system',
          level: summary.ok ? 'info' : 'error',
          outcome: summary.ok ? 'success' : 'failure',
          description: summary.ok
            ? `Audit chains verified: ${summary.tenants} tenant(s), ${summary.rows} row(s) intact`
            : `Audit chain BROKEN in ${summary.broken.length} of ${summary.tenants} tenant(s)`,
          details: { ok: summary.ok, tenants: summary.tenants, rows: summary.rows, broken: summary.broken },
        },
      ]);
      this.#last = summary;
      if (!summary.ok) diag.error(`otel-activity audit sink: audit chain broken: ${JSON.stringify(summary.broken)}`);
      return summary;
    } catch (err) {
      diag.warn(`otel-activity audit sink: chain verification could not run: ${(err as Error).message}`);
      return undefined;
    }
  }
}

function summarize(result: VerifyResult): VerifySummary {
  return {
    at: new Date().toISOString(),
    ok: result.ok,
    tenants: result.tenants.length,
    rows: result.tenants.reduce((n, t) => n + t.rows, 0),
    broken: result.tenants
      .filter((t) => !t.ok && t.firstBroken)
      .map((t) => ({ tenantId: t.tenantId, seq: t.firstBroken!.seq, eventId: t.firstBroken!.eventId, reason: t.firstBroken!.reason })),
  };
}
