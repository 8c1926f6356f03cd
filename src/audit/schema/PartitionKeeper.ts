import { diag } from '@opentelemetry/api';
import type { SqlDriver } from '../driver/SqlDriver.ts';

/** Months kept ready behind and ahead of the current one. */
const MONTHS_BEHIND = 1;
const MONTHS_AHEAD = 3;

/**
 * Creates the monthly partitions of `activity_log` ahead of need (UTC months), and
 * remembers which exist so the write path checks a Set, not the catalog. Events outside
 * the window (far past or future) go to the DEFAULT partition; creating a partition later
 * moves them out. A failure only logs: the DEFAULT partition still takes the rows.
 */
export class PartitionKeeper {
  private readonly _driver: SqlDriver;
  private readonly _ready = new Set<string>();

  constructor(driver: SqlDriver) {
    this._driver = driver;
  }

  /** Ensures the previous, current and next three months around `now`. */
  async ensureAround(now: Date = new Date()): Promise<void> {
    const months: Date[] = [];
    for (let i = -MONTHS_BEHIND; i <= MONTHS_AHEAD; i++) months.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1)));
    await this._ensure(months);
  }

  /**
   * Before a write: ensures the months of `dates` that fall in the window around now and
   * are not known yet (a month rolled over, or another process dropped one).
   */
  async ensureFor(dates: Iterable<Date>, now: Date = new Date()): Promise<void> {
    const lo = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS_BEHIND, 1);
    const hi = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD + 1, 1);
    const missing = new Map<string, Date>();
    for (const d of dates) {
      const t = d.getTime();
      if (t < lo || t >= hi) continue;
      const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
      const key = monthKey(month);
      if (!this._ready.has(key)) missing.set(key, month);
    }
    if (missing.size > 0) await this._ensure([...missing.values()]);
  }

  /** Forgets partitions (after retention dropped some). */
  forget(): void {
    this._ready.clear();
  }

  private async _ensure(months: Date[]): Promise<void> {
    for (const month of months) {
      const key = monthKey(month);
      if (this._ready.has(key)) continue;
      try {
        await this._driver.transaction(async (tx) => {
          // DDL waits behind long transactions holding the table; do not queue every writer behind it.
          await tx.query(`SELECT set_config('lock_timeout', '5s', true)`);
          await tx.query('SELECT activity_log_ensure_partition($1::date)', [`${key.slice(0, 4)}-${key.slice(4)}-01`]);
        });
        this._ready.add(key);
      } catch (err) {
        diag.warn(`otel-activity: could not create audit partition ${key} (rows go to the default partition): ${(err as Error).message}`);
      }
    }
  }
}

function monthKey(month: Date): string {
  return `${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}
