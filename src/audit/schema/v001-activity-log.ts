/**
 * Migration 1: the append-only, hash-chained `activity_log` and its guards.
 *
 * - `activity_log` is partitioned by month on `created_at` (the event's own time, so a
 *   re-sent event lands in the same partition and meets its unique key), with a DEFAULT
 *   partition so an insert never fails for want of a partition.
 * - `activity_log_chain` holds each tenant's chain head; writers lock it while appending.
 * - `activity_log_purged` records the (seq range, first prev_hash, last hash) of rows removed
 *   by retention, so `verify` can bridge them; adjacent ranges are merged.
 * - Triggers refuse UPDATE and DELETE except inside the purge / anonymise functions, which
 *   set the `otel_activity.maintenance` setting for their own duration only (function-level
 *   SET), and even then an update may only blank the personal columns.
 *
 * Statements are kept one per string: PGlite's extended protocol runs one at a time.
 */
export const V001_ACTIVITY_LOG: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS activity_log_meta (
    key text PRIMARY KEY,
    value text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE IF NOT EXISTS activity_log (
    event_id uuid NOT NULL,
    tenant_id text NOT NULL,
    seq bigint NOT NULL,
    created_at timestamptz NOT NULL,
    action text NOT NULL,
    resource_type text,
    resource_id text,
    outcome text NOT NULL DEFAULT 'success',
    user_id text,
    user_name text,
    user_digest text,
    session_id text,
    request_id text,
    ip_address text,
    user_agent text,
    category text,
    level text NOT NULL DEFAULT 'info',
    risk_score smallint,
    duration_ms double precision,
    description text,
    trace_id text,
    span_id text,
    details jsonb,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activity_log_event_key UNIQUE (event_id, created_at),
    CONSTRAINT activity_log_outcome_check CHECK (outcome IN ('success', 'failure')),
    CONSTRAINT activity_log_risk_score_check CHECK (risk_score BETWEEN 0 AND 100)
  ) PARTITION BY RANGE (created_at)`,

  `CREATE TABLE IF NOT EXISTS activity_log_default PARTITION OF activity_log DEFAULT`,

  // A tenant's recent events, a user's trail, a resource's history, and the chain walk.
  `CREATE INDEX IF NOT EXISTS activity_log_tenant_time_idx ON activity_log (tenant_id, created_at DESC, event_id DESC)`,
  `CREATE INDEX IF NOT EXISTS activity_log_tenant_user_idx ON activity_log (tenant_id, user_id, created_at DESC)`,
  `CREATE INDEX IF NOT EXISTS activity_log_tenant_resource_idx ON activity_log (tenant_id, resource_type, resource_id, created_at DESC)`,
  `CREATE INDEX IF NOT EXISTS activity_log_tenant_seq_idx ON activity_log (tenant_id, seq)`,

  `CREATE TABLE IF NOT EXISTS activity_log_chain (
    tenant_id text PRIMARY KEY,
    last_seq bigint NOT NULL,
    last_hash text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE IF NOT EXISTS activity_log_purged (
    tenant_id text NOT NULL,
    from_seq bigint NOT NULL,
    to_seq bigint NOT NULL,
    prev_hash text NOT NULL,
    last_hash text NOT NULL,
    rows bigint NOT NULL,
    purged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, from_seq)
  )`,

  `CREATE OR REPLACE FUNCTION activity_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    personal CONSTANT text[] := ARRAY['user_id', 'user_name', 'ip_address', 'user_agent', 'session_id'];
  BEGIN
    IF TG_OP = 'DELETE' AND current_setting('otel_activity.maintenance', true) = 'purge' THEN
      RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('otel_activity.maintenance', true) = 'anonymize'
       AND NEW.user_id IS NULL AND NEW.user_name IS NULL AND NEW.ip_address IS NULL
       AND NEW.user_agent IS NULL AND NEW.session_id IS NULL
       AND (to_jsonb(NEW) - personal) = (to_jsonb(OLD) - personal) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'activity_log is append-only: % refused', TG_OP
      USING ERRCODE = '42501',
            HINT = 'Rows leave only through activity_log_purge() (retention) and activity_log_anonymize() (GDPR).';
  END $$`,

  `CREATE OR REPLACE FUNCTION activity_log_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = '42501';
  END $$`,

  `DROP TRIGGER IF EXISTS activity_log_append_only ON activity_log`,
  `CREATE TRIGGER activity_log_append_only BEFORE UPDATE OR DELETE ON activity_log
    FOR EACH ROW EXECUTE FUNCTION activity_log_guard()`,
  `DROP TRIGGER IF EXISTS activity_log_no_truncate ON activity_log`,
  `CREATE TRIGGER activity_log_no_truncate BEFORE TRUNCATE ON activity_log
    FOR EACH STATEMENT EXECUTE FUNCTION activity_log_refuse_truncate()`,
  `DROP TRIGGER IF EXISTS activity_log_no_truncate ON activity_log_default`,
  `CREATE TRIGGER activity_log_no_truncate BEFORE TRUNCATE ON activity_log_default
    FOR EACH STATEMENT EXECUTE FUNCTION activity_log_refuse_truncate()`,

  // Chain heads only move forward; purge ranges and meta rows only appear through the functions.
  `CREATE OR REPLACE FUNCTION activity_log_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' AND NEW.tenant_id = OLD.tenant_id AND NEW.last_seq >= OLD.last_seq THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'activity_log_chain heads only move forward: % refused', TG_OP USING ERRCODE = '42501';
  END $$`,
  `DROP TRIGGER IF EXISTS activity_log_chain_forward_only ON activity_log_chain`,
  `CREATE TRIGGER activity_log_chain_forward_only BEFORE UPDATE OR DELETE ON activity_log_chain
    FOR EACH ROW EXECUTE FUNCTION activity_log_chain_guard()`,

  `CREATE OR REPLACE FUNCTION activity_log_purged_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF current_setting('otel_activity.maintenance', true) = 'purge' THEN
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'activity_log_purged changes only through activity_log_purge(): % refused', TG_OP USING ERRCODE = '42501';
  END $$`,
  `DROP TRIGGER IF EXISTS activity_log_purged_guard ON activity_log_purged`,
  `CREATE TRIGGER activity_log_purged_guard BEFORE INSERT OR UPDATE OR DELETE ON activity_log_purged
    FOR EACH ROW EXECUTE FUNCTION activity_log_purged_guard()`,

  `CREATE OR REPLACE FUNCTION activity_log_meta_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'activity_log_meta is write-once: % refused', TG_OP USING ERRCODE = '42501';
  END $$`,
  `DROP TRIGGER IF EXISTS activity_log_meta_write_once ON activity_log_meta`,
  `CREATE TRIGGER activity_log_meta_write_once BEFORE UPDATE OR DELETE ON activity_log_meta
    FOR EACH ROW EXECUTE FUNCTION activity_log_meta_guard()`,

  // Creates the month's partition (UTC), moving any rows the DEFAULT partition already
  // holds for that month, since Postgres refuses a partition that would hide them.
  `CREATE OR REPLACE FUNCTION activity_log_ensure_partition(p_month date) RETURNS text
  LANGUAGE plpgsql SET otel_activity.maintenance = 'purge' AS $$
  DECLARE
    v_from timestamptz := make_timestamptz(extract(year FROM p_month)::int, extract(month FROM p_month)::int, 1, 0, 0, 0, 'UTC');
    v_to timestamptz := v_from + interval '1 month';
    v_name text := 'activity_log_p' || to_char(p_month, 'YYYYMM');
  BEGIN
    IF to_regclass(v_name) IS NOT NULL THEN
      RETURN v_name;
    END IF;
    -- Concurrent creators would deadlock on the parent and DEFAULT partition locks: take turns.
    PERFORM pg_advisory_xact_lock(132000001);
    IF to_regclass(v_name) IS NOT NULL THEN
      RETURN v_name;
    END IF;
    IF EXISTS (SELECT 1 FROM activity_log_default WHERE created_at >= v_from AND created_at < v_to) THEN
      LOCK TABLE activity_log_default IN SHARE ROW EXCLUSIVE MODE;
      EXECUTE format('CREATE TABLE %I (LIKE activity_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
      EXECUTE format('WITH moved AS (DELETE FROM activity_log_default WHERE created_at >= $1 AND created_at < $2 RETURNING *)
                      INSERT INTO %I SELECT * FROM moved', v_name) USING v_from, v_to;
      EXECUTE format('ALTER TABLE activity_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_to);
    ELSE
      EXECUTE format('CREATE TABLE %I PARTITION OF activity_log FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_to);
    END IF;
    EXECUTE format('CREATE TRIGGER activity_log_no_truncate BEFORE TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION activity_log_refuse_truncate()', v_name);
    RETURN v_name;
  END $$`,

  // Retention. Drops monthly partitions wholly before the cutoff, deletes older rows from
  // the boundary and DEFAULT partitions, and records the purged seq ranges per tenant
  // (merging adjacent ones) so the remaining chain still verifies.
  `CREATE OR REPLACE FUNCTION activity_log_purge(p_cutoff timestamptz)
  RETURNS TABLE (deleted bigint, dropped text[])
  LANGUAGE plpgsql SET otel_activity.maintenance = 'purge' AS $$
  DECLARE
    r record;
    v_n bigint;
    v_deleted bigint := 0;
    v_dropped text[] := ARRAY[]::text[];
  BEGIN
    CREATE TEMP TABLE IF NOT EXISTS activity_log_purging (tenant_id text, seq bigint, prev_hash text, hash text) ON COMMIT DROP;
    TRUNCATE activity_log_purging;
    FOR r IN
      SELECT c.relname::text AS name
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'activity_log'::regclass
         AND c.relname ~ '^activity_log_p[0-9]{6}$'
         AND (to_date(substr(c.relname, 15), 'YYYYMM')::timestamp + interval '1 month') AT TIME ZONE 'UTC' <= p_cutoff
       ORDER BY c.relname
    LOOP
      EXECUTE format('ALTER TABLE activity_log DETACH PARTITION %I', r.name);
      EXECUTE format('INSERT INTO activity_log_purging SELECT tenant_id, seq, prev_hash, hash FROM %I', r.name);
      GET DIAGNOSTICS v_n = ROW_COUNT;
      v_deleted := v_deleted + v_n;
      EXECUTE format('DROP TABLE %I', r.name);
      v_dropped := v_dropped || r.name;
    END LOOP;

    WITH gone AS (DELETE FROM activity_log WHERE created_at < p_cutoff RETURNING tenant_id, seq, prev_hash, hash)
    INSERT INTO activity_log_purging SELECT * FROM gone;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_deleted := v_deleted + v_n;

    -- Gaps and islands: consecutive seqs of a tenant form one range.
    INSERT INTO activity_log_purged (tenant_id, from_seq, to_seq, prev_hash, last_hash, rows)
    SELECT tenant_id, min(seq), max(seq), (array_agg(prev_hash ORDER BY seq))[1], (array_agg(hash ORDER BY seq DESC))[1], count(*)
      FROM (SELECT p.*, p.seq - row_number() OVER (PARTITION BY p.tenant_id ORDER BY p.seq) AS grp FROM activity_log_purging p) s
     GROUP BY tenant_id, grp;

    CREATE TEMP TABLE IF NOT EXISTS activity_log_purged_merged (LIKE activity_log_purged) ON COMMIT DROP;
    TRUNCATE activity_log_purged_merged;
    INSERT INTO activity_log_purged_merged
    SELECT tenant_id, min(from_seq), max(to_seq), (array_agg(prev_hash ORDER BY from_seq))[1],
           (array_agg(last_hash ORDER BY from_seq DESC))[1], sum(rows), max(purged_at)
      FROM (SELECT p.*, p.from_seq - coalesce(sum(p.to_seq - p.from_seq + 1) OVER (
                     PARTITION BY p.tenant_id ORDER BY p.from_seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS grp
              FROM activity_log_purged p
             WHERE p.tenant_id IN (SELECT DISTINCT tenant_id FROM activity_log_purging)) s
     GROUP BY tenant_id, grp;
    DELETE FROM activity_log_purged WHERE tenant_id IN (SELECT DISTINCT tenant_id FROM activity_log_purging);
    INSERT INTO activity_log_purged SELECT * FROM activity_log_purged_merged;

    RETURN QUERY SELECT v_deleted, v_dropped;
  END $$`,

  // GDPR: blanks the personal columns of a user's rows (in one tenant, or all when NULL).
  // The chain covers only a keyed digest of those columns, so it still verifies.
  `CREATE OR REPLACE FUNCTION activity_log_anonymize(p_user_id text, p_tenant_id text) RETURNS bigint
  LANGUAGE plpgsql SET otel_activity.maintenance = 'anonymize' AS $$
  DECLARE
    v_n bigint;
  BEGIN
    UPDATE activity_log
       SET user_id = NULL, user_name = NULL, ip_address = NULL, user_agent = NULL, session_id = NULL
     WHERE user_id = p_user_id AND (p_tenant_id IS NULL OR tenant_id = p_tenant_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
  END $$`,
];
