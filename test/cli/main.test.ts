import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventInput, AuditStore } from '../../src/audit/AuditStore.ts';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { VERSION } from '../../src/version.ts';
import { AUDIT_BACKENDS, type AuditBackend, auditEvent } from '../support/audit-store.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { runCliProcess } from '../support/run-cli.ts';

const DAY = 86_400_000;
const T0 = Date.now() - 3_600_000;

/** A store reachable by the CLI (a throwaway Postgres database, or a PGlite directory). */
interface CliBackend {
  /** The global flags that point the CLI at it. */
  args: string[];
  /** Opens it in this process for `fn` (PGlite serves one process at a time), then closes it. */
  withStore<T>(fn: (store: AuditStore) => Promise<T>): Promise<T>;
  /** Runs statements with the append-only triggers off: a tamperer with superuser rights. */
  tamper(...statements: string[]): Promise<void>;
  cleanup(): Promise<void>;
}

async function openBackend(backend: AuditBackend, dir: string): Promise<CliBackend> {
  const base = { enabled: true, batchSize: 500 };
  if (backend === 'postgres') {
    const db = await createTestDatabase();
    return {
      args: ['--database-url', db.url],
      withStore: async (fn) => {
        const store = await openAuditStore({ ...base, dataDir: 'memory://', databaseUrl: db.url });
        try {
          return await fn(store);
        } finally {
          await store.close();
        }
      },
      tamper: async (...statements) => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          await client.query('BEGIN');
          await client.query('SET LOCAL session_replication_role = replica');
          for (const s of statements) await client.query(s);
          await client.query('COMMIT');
        } finally {
          await client.end();
        }
      },
      cleanup: () => db.drop(),
    };
  }
  const dataDir = join(dir, 'audit');
  return {
    args: ['--data-dir', dataDir],
    withStore: async (fn) => {
      const store = await openAuditStore({ ...base, dataDir });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
    tamper: async (...statements) => {
      const db = await PGlite.create({ dataDir });
      try {
        await db.transaction(async (tx) => {
          await tx.query('SET LOCAL session_replication_role = replica');
          for (const s of statements) await tx.query(s);
        });
      } finally {
        await db.close();
      }
    },
    cleanup: async () => {},
  };
}

/** acme: 6 events of alice and bob; globex: 3 of alice; old: 2 from 400 days ago; tamper-t: 3 to break. */
function dataset(): Record<string, AuditEventInput[]> {
  return {
    acme: Array.from({ length: 6 }, (_, i) =>
      auditEvent({
        tenantId: 'acme',
        occurredAt: new Date(T0 + i * 60_000),
        userId: i % 2 ? 'bob' : 'alice',
        action: i % 2 ? 'UPDATE' : 'CREATE',
        resourceId: `inv-${i}`,
        riskScore: i * 20,
        description: i === 3 ? 'Line one\nline two \u001b[31mred' : `Invoice inv-${i} saved`,
      }),
    ),
    globex: Array.from({ length: 3 }, (_, i) =>
      auditEvent({ tenantId: 'globex', occurredAt: new Date(T0 + i * 60_000), userId: 'alice', action: 'LOGIN', resourceType: 'session', resourceId: `s-${i}` }),
    ),
    old: Array.from({ length: 2 }, (_, i) => auditEvent({ tenantId: 'old', occurredAt: new Date(Date.now() - 400 * DAY + i * 1000), userId: 'ghost' })),
    'tamper-t': Array.from({ length: 3 }, (_, i) => auditEvent({ tenantId: 'tamper-t', occurredAt: new Date(T0 + i * 1000), userId: 'tim' })),
  };
}

describe('otel-activity (the CLI)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'otel-activity-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('without a store', () => {
    it('should print the version', async () => {
      const run = await runCliProcess(['--version']);
      expect([run.code, run.stdout]).toEqual([0, `${VERSION}\n`]);
    });

    it('should print help for the tool and for each command, exit 0', async () => {
      const top = await runCliProcess(['audit', '--help']);
      expect(top.code).toBe(0);
      for (const name of ['migrate', 'trail', 'search', 'stats', 'export', 'verify', 'purge', 'anonymize']) expect(top.stdout).toContain(`  ${name} `);
      expect(top.stdout).toContain('2  verify found a broken chain');
      const search = await runCliProcess(['audit', 'search', '--help']);
      expect(search.code).toBe(0);
      expect(search.stdout).toMatch(/^Usage: otel-activity audit search \[options\]/);
      expect(search.stdout).toContain('--resource-type T');
      expect((await runCliProcess(['audit', 'purge', '-h'])).stdout).toContain('--dry-run');
    });

    it.each([
      [['audit', 'frobnicate'], /unknown command "audit frobnicate"/, 'audit'],
      [['audits'], /unknown command "audits": expected audit/, 'audit'],
      [['audit', 'search', '--frobnicate'], /Unknown option '--frobnicate'/, 'audit search'],
      [['audit', 'search', '--from', 'last tuesday'], /--from="last tuesday" is invalid/, undefined],
      [['audit', 'search', '--limit', '501'], /--limit="501" is invalid: expected a whole number from 1 to 500/, undefined],
      [['audit', 'search', '--outcome', 'meh'], /--outcome="meh" is invalid/, undefined],
      [['audit', 'trail'], /audit trail takes <userId>, got none/, 'audit trail'],
      [['audit', 'export', '--format', 'xml'], /--format="xml" is invalid/, 'audit export'],
      [['audit', 'purge', '--older-than-days', 'ninety'], /--older-than-days="ninety" is invalid/, undefined],
    ])('should exit 1 on the usage error %j, before opening any store', async (args, message, help) => {
      const run = await runCliProcess(args, { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      if (help) expect(run.stderr).toContain(`Run 'otel-activity ${help} --help' for usage.`);
      expect(existsSync(join(dir, 'data'))).toBe(false);
    });

    it('should print the help on stderr and exit 1 when no command is given', async () => {
      const run = await runCliProcess(['audit']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Usage: otel-activity audit <command>');
    });

    it('should exit 3 when the database cannot be reached, naming it without its password', async () => {
      const run = await runCliProcess(['audit', 'search', '--database-url', 'postgres://root:hunter2@127.0.0.1:1/nowhere']);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^otel-activity: cannot use the audit store: .*ECONNREFUSED/);
      expect(run.stderr).not.toContain('hunter2');
    });

    it('should exit 3 when there is no embedded database, and create none', async () => {
      const run = await runCliProcess(['audit', 'verify'], { cwd: dir });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(`no embedded audit database in ${join(dir, 'data', 'audit')}`);
      expect(existsSync(join(dir, 'data'))).toBe(false);
    });

    it('should create the embedded database with migrate, in data/audit by default', async () => {
      const cwd = mkdtempSync(join(dir, 'migrate-'));
      const run = await runCliProcess(['audit', 'migrate'], { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`Audit store ready: embedded PGlite ${join(cwd, 'data', 'audit')}, schema version 3.\n`);
      expect(existsSync(join(cwd, 'data', 'audit', 'PG_VERSION'))).toBe(true);
      const again = await runCliProcess(['audit', 'migrate', '--json'], { cwd, env: { ACTIVITY_AUDIT: 'off' } });
      expect(again.json()).toEqual({ kind: 'pglite', location: join(cwd, 'data', 'audit'), schemaVersion: 3 });
    });
  });

  describe.each(AUDIT_BACKENDS)('on %s', (backend) => {
    let b: CliBackend;
    let data: Record<string, AuditEventInput[]>;
    const cli = (...args: string[]) => runCliProcess(['audit', ...args, ...b.args], { cwd: dir });

    beforeAll(async () => {
      b = await openBackend(backend, mkdtempSync(join(dir, `${backend}-`)));
      data = dataset();
      await b.withStore((store) => store.append(Object.values(data).flat()));
    });
    afterAll(async () => b?.cleanup());

    describe('migrate', () => {
      it('should report the store and its schema version', async () => {
        const run = await cli('migrate', '--json');
        expect(run.code).toBe(0);
        expect(run.json()).toMatchObject({ kind: backend, schemaVersion: 3 });
      });
    });

    describe('trail', () => {
      it("should list a user's events across tenants, newest first, as JSON", async () => {
        const run = await cli('trail', 'alice', '--json');
        expect(run.code).toBe(0);
        const { items, nextCursor } = run.json<{ items: AuditEvent[]; nextCursor?: string }>();
        expect(nextCursor).toBeUndefined();
        const expected = [...data.acme!.filter((e) => e.userId === 'alice'), ...data.globex!].sort((x, y) => y.occurredAt.getTime() - x.occurredAt.getTime() || (y.eventId < x.eventId ? -1 : 1));
        expect(items.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
      });

      it('should narrow to --tenant', async () => {
        const items = (await cli('trail', 'alice', '--tenant', 'globex', '--json')).json().items as AuditEvent[];
        expect(items.map((e) => e.resourceId)).toEqual(['s-2', 's-1', 's-0']);
      });
    });

    describe('search', () => {
      it('should apply the filters', async () => {
        const ids = async (...args: string[]) => ((await cli('search', '--json', ...args)).json().items as AuditEvent[]).map((e) => e.resourceId);
        expect(await ids('--tenant', 'acme', '--action', 'CREATE')).toEqual(['inv-4', 'inv-2', 'inv-0']);
        expect(await ids('--action', 'UPDATE,LOGIN', '--min-risk', '60')).toEqual(['inv-5', 'inv-3']);
        expect(await ids('--user', 'bob', '--from', new Date(T0 + 60_000).toISOString(), '--to', new Date(T0 + 4 * 60_000).toISOString())).toEqual(['inv-3', 'inv-1']);
        expect(await ids('--resource-type', 'session', '--resource-id', 's-1')).toEqual(['s-1']);
        expect(await ids('--text', 'LINE TWO')).toEqual(['inv-3']);
        expect(await ids('--tenant', 'nobody')).toEqual([]);
      });

      it('should page with --limit and the printed --cursor', async () => {
        const first = await cli('search', '--tenant', 'acme', '--limit', '4');
        expect(first.code).toBe(0);
        const cursor = /more with --cursor (\S+)/.exec(first.stdout)?.[1];
        expect(cursor).toEqual(expect.any(String));
        const second = (await cli('search', '--tenant', 'acme', '--limit', '4', '--cursor', cursor!, '--json')).json();
        expect(second.items.map((e: AuditEvent) => e.resourceId)).toEqual(['inv-1', 'inv-0']);
        expect(second.nextCursor).toBeUndefined();
      });

      it('should print a plain aligned table when piped, with control characters escaped', async () => {
        const run = await cli('search', '--tenant', 'acme', '--action', 'UPDATE');
        const lines = run.stdout.trimEnd().split('\n');
        expect(lines[0]).toMatch(/^TIME \(UTC\) +TENANT +ACTION +RESULT +RISK +USER +RESOURCE +DESCRIPTION +EVENT ID$/);
        expect(lines[1]).toMatch(/^-+( +-+){8}$/);
        expect(lines).toHaveLength(2 + 3 + 1);
        expect(lines[5]).toBe('3 events');
        const column = lines[0]!.indexOf('EVENT ID');
        expect(lines.slice(2, 5).map((l) => l.slice(column))).toEqual(['inv-5', 'inv-3', 'inv-1'].map((r) => data.acme!.find((e) => e.resourceId === r)!.eventId));
        expect(run.stdout).toContain('Line one\\nline two \\x1b[31mred');
        expect(run.stdout).not.toContain('\u001b');
      });

      it('should say so when nothing matches', async () => {
        expect((await cli('search', '--user', 'nobody')).stdout).toBe('No events.\n');
      });
    });

    describe('stats', () => {
      it('should count by action, category and level for a tenant', async () => {
        const run = await cli('stats', '--tenant', 'acme', '--json');
        expect(run.json()).toMatchObject({ total: 6, activeUsers: 2, byAction: { CREATE: 3, UPDATE: 3 }, errorRate: 0, topUsers: [{ userId: 'alice', count: 3 }, { userId: 'bob', count: 3 }] });
        const text = (await cli('stats', '--tenant', 'globex')).stdout;
        expect(text).toMatch(/^Events +3\nActive users +1\nError rate +0\.0%\n/);
        expect(text).toMatch(/\nLOGIN +3\n/);
      });
    });

    describe('export', () => {
      it('should write a CSV file and a manifest whose sha256 is the file’s', async () => {
        const output = join(dir, `${backend}-acme.csv`);
        const run = await cli('export', '--tenant', 'acme', '--output', output, '--json');
        expect(run.code).toBe(0);
        const bytes = readFileSync(output);
        const sha = createHash('sha256').update(bytes).digest('hex');
        const manifest = JSON.parse(readFileSync(`${output}.manifest.json`, 'utf8'));
        expect(manifest).toMatchObject({ format: 'csv', rows: 6, sha256: sha, file: `${backend}-acme.csv`, filters: { tenantId: 'acme' } });
        expect(manifest.chainHeads).toEqual([{ tenantId: 'acme', seq: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
        expect(run.json()).toEqual(manifest);
        expect(bytes.toString('utf8').startsWith('event_id,tenant_id,seq,created_at,')).toBe(true);
        expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
      });

      it('should stream JSON lines to stdout, oldest first, the manifest on stderr, and record an EXPORT event', async () => {
        const run = await cli('export', '--tenant', 'globex', '--format', 'jsonl', '--json');
        expect(run.code).toBe(0);
        const rows = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEvent);
        expect(rows.map((r) => r.resourceId)).toEqual(['s-0', 's-1', 's-2']);
        const manifest = JSON.parse(run.stderr);
        expect(manifest).toMatchObject({ format: 'jsonl', rows: 3, sha256: createHash('sha256').update(run.stdout).digest('hex') });
        const [logged] = await b.withStore(async (store) => (await store.search({ tenantId: 'globex' }, { action: 'EXPORT' })).items);
        expect(logged).toMatchObject({ resourceType: 'audit_log', userId: expect.stringMatching(/^cli:/), details: { via: 'cli', rows: 3, sha256: manifest.sha256 } });
      });
    });

    describe('verify, anonymize and purge', () => {
      it('should exit 0 when every chain holds', async () => {
        const run = await cli('verify');
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/All \d+ chains intact\.\n$/);
      });

      it('should anonymise a user in one tenant, the chain still holding', async () => {
        const run = await cli('anonymize', 'bob', '--tenant', 'acme', '--json');
        expect([run.code, run.json()]).toEqual([0, { updated: 3 }]);
        expect((await cli('trail', 'bob', '--json')).json().items).toEqual([]);
        expect((await cli('verify', '--tenant', 'acme')).code).toBe(0);
      });

      it('should count what a purge would delete with --dry-run, deleting nothing', async () => {
        const run = await cli('purge', '--older-than-days', '300', '--dry-run', '--json');
        expect(run.code).toBe(0);
        expect(run.json()).toMatchObject({ dryRun: true, olderThanDays: 300, wouldDelete: 2 });
        expect((await cli('search', '--tenant', 'old', '--json')).json().items).toHaveLength(2);
      });

      it('should purge events older than the given days, recording a PURGE event, the chains still holding', async () => {
        const run = await cli('purge', '--older-than-days', '300', '--json');
        expect(run.code).toBe(0);
        expect(run.json()).toMatchObject({ olderThanDays: 300, deleted: 2 });
        expect((await cli('search', '--tenant', 'old', '--json')).json().items).toEqual([]);
        const purges = (await cli('search', '--action', 'PURGE', '--json')).json().items as AuditEvent[];
        expect(purges).toHaveLength(1);
        expect(purges[0]).toMatchObject({ userId: expect.stringMatching(/^cli:/), details: { olderThanDays: 300, deleted: 2 } });
        expect((await cli('verify')).code).toBe(0);
      });

      it('should exit 2 and print the first broken row when a row was changed', async () => {
        const target = data['tamper-t']![1]!;
        await b.tamper(`UPDATE activity_log SET description = 'nothing to see' WHERE event_id = '${target.eventId}'`);
        const run = await cli('verify');
        expect(run.code).toBe(2);
        expect(run.stdout).toMatch(new RegExp(`tamper-t +1 +3 +BROKEN +seq 2 \\(event ${target.eventId}\\): hash_mismatch`));
        expect(run.stdout).toMatch(/\n1 of \d+ chains BROKEN\.\n$/);
        const json = await cli('verify', '--json');
        expect(json.code).toBe(2);
        expect(json.json().ok).toBe(false);
        expect(json.json().tenants.find((t: { tenantId: string }) => t.tenantId === 'tamper-t')).toMatchObject({
          ok: false,
          rows: 1,
          firstBroken: { seq: 2, eventId: target.eventId, reason: 'hash_mismatch' },
        });
        expect((await cli('verify', '--tenant', 'acme')).code).toBe(0);
      });
    });

    if (backend === 'postgres') {
      it('should find the database through ACTIVITY_AUDIT_DATABASE_URL, as the preload does', async () => {
        const url = b.args[1]!;
        const run = await runCliProcess(['audit', 'stats', '--tenant', 'globex', '--json'], { cwd: dir, env: { ACTIVITY_AUDIT_DATABASE_URL: url } });
        expect(run.code).toBe(0);
        expect(run.json().total).toBe(4); // 3 logins and the export of them
      });
    }
  });
});
