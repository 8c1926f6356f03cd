import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditSpool } from '../../../src/audit/spool/AuditSpool.ts';
import { auditEvent } from '../../support/audit-store.ts';

describe('AuditSpool', () => {
  let root: string;
  let n = 0;
  const freshDir = () => join(root, `spool-${++n}`);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'otel-activity-spool-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('write', () => {
    it('should not create the directory before the first write', () => {
      const dir = freshDir();
      const spool = new AuditSpool({ dir, maxBytes: 1e6 });
      expect(spool.files).toBe(0);
      expect(() => readdirSync(dir)).toThrow();
    });

    it('should keep batches in order, with dates restored, and leave no temporary files', async () => {
      const dir = freshDir();
      const spool = new AuditSpool({ dir, maxBytes: 1e6 });
      const first = [auditEvent(), auditEvent()];
      const second = [auditEvent()];
      expect(await spool.write(first)).toBe(true);
      expect(await spool.write(second)).toBe(true);
      expect(spool.files).toBe(2);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(statSync(join(dir, readdirSync(dir)[0]!)).mode & 0o077).toBe(0); // personal data: owner only
      const oldest = await spool.oldest();
      expect(oldest?.events).toEqual(first);
      await spool.remove(oldest!.name);
      expect((await spool.oldest())?.events).toEqual(second);
    });

    it('should refuse a batch past the bound and write nothing of it', async () => {
      const spool = new AuditSpool({ dir: freshDir(), maxBytes: 600 });
      expect(await spool.write([auditEvent()])).toBe(true);
      const bytes = spool.bytes;
      expect(await spool.write([auditEvent(), auditEvent()])).toBe(false);
      expect(spool.bytes).toBe(bytes);
      expect(spool.files).toBe(1);
    });
  });

  describe('oldest', () => {
    it('should find a spool left by an earlier process and count damaged lines', async () => {
      const dir = freshDir();
      await new AuditSpool({ dir, maxBytes: 1e6 }).write([auditEvent()]);
      writeFileSync(join(dir, '0000-damaged.jsonl'), `${JSON.stringify(auditEvent())}\n{"eventId": "cut off\n`);
      const reopened = new AuditSpool({ dir, maxBytes: 1e6 });
      expect(reopened.files).toBe(2);
      const oldest = await reopened.oldest();
      expect(oldest).toMatchObject({ name: '0000-damaged.jsonl', unreadable: 1 });
      expect(oldest!.events).toHaveLength(1);
    });
  });
});
