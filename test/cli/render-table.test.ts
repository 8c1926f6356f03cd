import { describe, expect, it } from 'vitest';
import { renderTable, type TableColumn } from '../../src/cli/render-table.ts';

const COLUMNS: TableColumn[] = [{ header: 'NAME' }, { header: 'COUNT', align: 'right' }, { header: 'NOTE', shrink: 1 }];

describe('renderTable', () => {
  it('should align columns under a header and a rule, numbers to the right, trimming trailing spaces', () => {
    expect(renderTable(COLUMNS, [['alice', 3, 'first'], ['bob', 1200, null]])).toBe(
      ['NAME   COUNT  NOTE', '-----  -----  -----', 'alice      3  first', 'bob     1200', ''].join('\n'),
    );
  });

  it('should escape control characters so a cell cannot break the line or drive the terminal', () => {
    const out = renderTable([{ header: 'X' }], [['a\nb\tc\u001b[2Jd\u009be']]);
    expect(out.split('\n')[2]).toBe('a\\nb\\tc\\x1b[2Jd\\x9be');
  });

  it('should cut shrinkable columns, lowest priority first, to fit maxWidth', () => {
    const columns: TableColumn[] = [{ header: 'ID' }, { header: 'WHO', shrink: 2 }, { header: 'TEXT', shrink: 1, minWidth: 8 }];
    const rows = [['id-1', 'someone-with-a-long-name', 'a description that is far too long for the line']];
    const out = renderTable(columns, rows, { maxWidth: 40 });
    const lines = out.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(lines[2]).toBe('id-1  someone-with-a-long-name  a descr…');
    const narrower = renderTable(columns, rows, { maxWidth: 30 }).trimEnd().split('\n')[2];
    expect(narrower).toBe('id-1  someone-with-…  a descr…');
  });

  it('should never cut columns that do not shrink, nor below minWidth', () => {
    const out = renderTable([{ header: 'ID' }, { header: 'TEXT', shrink: 1 }], [['0123456789', 'abcdefghijkl']], { maxWidth: 5 });
    expect(out.split('\n')[2]).toBe('0123456789  abcde…');
  });
});
