/**
 * Migration 3: an index in time order across tenants. An admin's all-tenant export and
 * search page through `ORDER BY created_at, event_id` with a keyset cursor; without this
 * index every page sorted what was left of the table (quadratic on a big one). Each
 * monthly partition gets its own index, so the pages come from a merge of index scans.
 */
export const V003_TIME_INDEX: readonly string[] = [
  `CREATE INDEX IF NOT EXISTS activity_log_time_idx ON activity_log (created_at, event_id)`,
];
