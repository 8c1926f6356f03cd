/**
 * Migration 2: `activity_log_erasures`, the register of GDPR anonymisations.
 *
 * Events can reach the table after their user was anonymised: a record spooled during a
 * database outage, or one re-sent by the collector's queue. Each anonymisation leaves a
 * row here (a keyed pseudonym of the user id, the tenant or NULL for all, the time), and
 * appends blank the personal columns of any event of that user that happened before it,
 * whenever the event arrives. The table holds no personal data and is append-only.
 */
export const V002_ERASURES: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS activity_log_erasures (
    subject_digest text NOT NULL,
    tenant_id text,
    erased_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX IF NOT EXISTS activity_log_erasures_subject ON activity_log_erasures (subject_digest)`,

  `CREATE OR REPLACE FUNCTION activity_log_erasures_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'activity_log_erasures is append-only: % refused', TG_OP USING ERRCODE = '42501';
  END $$`,
  `DROP TRIGGER IF EXISTS activity_log_erasures_append_only ON activity_log_erasures`,
  `CREATE TRIGGER activity_log_erasures_append_only BEFORE UPDATE OR DELETE ON activity_log_erasures
    FOR EACH ROW EXECUTE FUNCTION activity_log_erasures_guard()`,
  `DROP TRIGGER IF EXISTS activity_log_erasures_no_truncate ON activity_log_erasures`,
  `CREATE TRIGGER activity_log_erasures_no_truncate BEFORE TRUNCATE ON activity_log_erasures
    FOR EACH STATEMENT EXECUTE FUNCTION activity_log_refuse_truncate()`,
];
