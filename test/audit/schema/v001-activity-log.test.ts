import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_BACKENDS, auditEvent, openTestAuditStore, type TestAuditStore } from '../../support/audit-store.ts';

describe.each(AUDIT_BACKENDS)('activity_log schema on %s', (backend) => {
  let t: TestAuditStore;
  let eventId: string;

  beforeAll(async () => {
    t = await openTestAuditStore(backend);
    const event = auditEvent({ tenantId: 'guarded' });
    eventId = event.eventId;
    await t.store.append([event]);
  });
  afterAll(async () => t?.close());

  describe('append-only trigger', () => {
    it('should refuse a direct UPDATE', async () => {
      await expect(t.sql(`UPDATE activity_log SET action = 'READ' WHERE event_id = $1`, [eventId])).rejects.toThrow(/append-only: UPDATE refused/);
    });

    it('should refuse a direct DELETE', async () => {
      await expect(t.sql('DELETE FROM activity_log WHERE event_id = $1', [eventId])).rejects.toThrow(/append-only: DELETE refused/);
    });

    it('should refuse TRUNCATE of the table and of a partition', async () => {
      const month = new Date();
      const partition = `activity_log_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
      await expect(t.sql('TRUNCATE activity_log')).rejects.toThrow(/TRUNCATE refused/);
      await expect(t.sql(`TRUNCATE ${partition}`)).rejects.toThrow(/TRUNCATE refused/);
    });

    it('should refuse, even with the anonymisation setting on, an update of anything but the personal columns', async () => {
      const statement = `SELECT set_config('otel_activity.maintenance', 'anonymize', false)`;
      if (t.pglite) {
        await expect(
          t.pglite.transaction(async (tx) => {
            await tx.query(statement);
            await tx.query(`UPDATE activity_log SET action = 'READ', user_id = NULL WHERE event_id = $1`, [eventId]);
          }),
        ).rejects.toThrow(/append-only/);
      } else {
        await expect(t.sql(`${statement}; UPDATE activity_log SET action = 'READ', user_id = NULL WHERE event_id = '${eventId}'`)).rejects.toThrow(/append-only/);
      }
      expect(await t.sql('SELECT action FROM activity_log WHERE event_id = $1', [eventId])).toEqual([{ action: 'UPDATE' }]);
    });

    it('should keep chain heads moving forward only, and purge records and meta rows out of reach', async () => {
      await expect(t.sql(`UPDATE activity_log_chain SET last_seq = 0 WHERE tenant_id = 'guarded'`)).rejects.toThrow(/only move forward/);
      await expect(t.sql(`DELETE FROM activity_log_chain WHERE tenant_id = 'guarded'`)).rejects.toThrow(/only move forward/);
      await expect(t.sql(`INSERT INTO activity_log_purged VALUES ('guarded', 1, 1, 'x', 'y', 1)`)).rejects.toThrow(/only through activity_log_purge/);
      await expect(t.sql(`UPDATE activity_log_meta SET value = 'x'`)).rejects.toThrow(/write-once/);
    });
  });

  describe('partitions', () => {
    it('should have monthly partitions around now plus a default one', async () => {
      const rows = await t.sql<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'activity_log'::regclass ORDER BY 1`,
      );
      const names = rows.map((r) => r.name);
      const now = new Date();
      const key = (offset: number) => {
        const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
        return `activity_log_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      };
      expect(names).toEqual(expect.arrayContaining(['activity_log_default', key(-1), key(0), key(1), key(2), key(3)]));
    });

    it('should take events of any date, and move them out of the default partition when their month gets one', async () => {
      const old = auditEvent({ tenantId: 'far-past', occurredAt: new Date('2001-02-03T04:05:06.789Z') });
      await t.store.append([old]);
      expect(await t.sql(`SELECT count(*)::int AS n FROM activity_log_default WHERE tenant_id = 'far-past'`)).toEqual([{ n: 1 }]);
      await t.sql(`SELECT activity_log_ensure_partition('2001-02-01')`);
      expect(await t.sql(`SELECT count(*)::int AS n FROM activity_log_p200102`)).toEqual([{ n: 1 }]);
      expect(await t.sql(`SELECT count(*)::int AS n FROM activity_log_default WHERE tenant_id = 'far-past'`)).toEqual([{ n: 0 }]);
      expect((await t.store.get({ tenantId: 'far-past' }, old.eventId))?.createdAt.toISOString()).toBe('2001-02-03T04:05:06.789Z');
      expect((await t.store.verify({ tenantId: 'far-past' })).ok).toBe(true);
    });
  });

  describe('migrate', () => {
    it('should be idempotent: a second run applies nothing and keeps the data', async () => {
      await t.store.migrate();
      expect(await t.store.schemaVersion()).toBe(3);
      expect(await t.sql('SELECT version FROM activity_log_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect((await t.store.get({ tenantId: 'guarded' }, eventId))?.eventId).toBe(eventId);
    });

    it('should report the version the database records, also when a newer release migrated it further', async () => {
      await t.sql(`INSERT INTO activity_log_migrations (version, name) VALUES (99, 'from a newer release')`);
      try {
        await t.store.migrate();
        expect(await t.store.schemaVersion()).toBe(99);
      } finally {
        await t.sql('DELETE FROM activity_log_migrations WHERE version = 99');
      }
    });
  });
});
