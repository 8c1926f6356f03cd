import { NO_CATEGORY } from '../audit/read/compute-statistics.ts';
import { ActivityCategory, ActivityLevel, AuditAction } from '../constants.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { recordApiEvent } from './record-api-event.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson } from './send-json.ts';

/** The three vocabularies `/actions`, `/categories` and `/levels` list. */
export type Vocabulary = 'actions' | 'categories' | 'levels';

const KNOWN: Readonly<Record<Vocabulary, readonly string[]>> = {
  actions: Object.values(AuditAction),
  categories: Object.values(ActivityCategory),
  levels: Object.values(ActivityLevel),
};

/**
 * `GET /actions`, `/categories`, `/levels`: `{ values, known, present }`: the values
 * otel-activity knows by name, the distinct values present in the caller's scope (custom
 * ones included), and both together (known first, then custom ones alphabetically), for
 * the filter drop-downs of a UI.
 */
export function vocabularyHandler(vocabulary: Vocabulary): (r: AuditApiRequest) => Promise<void> {
  return async (r) => {
    const scope = resolveScope(r);
    const stats = await r.store.statistics(scope, {}, { topUsers: 0 });
    const counts = vocabulary === 'actions' ? stats.byAction : vocabulary === 'categories' ? stats.byCategory : stats.byLevel;
    // Events without a category are counted under a placeholder key, which is no category.
    const present = Object.keys(counts).filter((v) => !(vocabulary === 'categories' && v === NO_CATEGORY)).sort();
    const known = KNOWN[vocabulary];
    const values = [...known, ...present.filter((v) => !known.includes(v))];
    await recordApiEvent(r, {
      description: `Audit ${vocabulary} listed`,
      scope,
      details: { present: present.length },
    });
    sendJson(r.res, 200, { values, known, present });
  };
}
