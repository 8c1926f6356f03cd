import { sanitizeCell } from './sanitize-cell.ts';

/** One column of a {@link renderTable} table. */
export interface TableColumn {
  header: string;
  /** Default left; numbers read better right-aligned. */
  align?: 'left' | 'right';
  /**
   * May be cut (with `…`) to fit the width: columns with the lowest number are cut first,
   * each down to `minWidth`. Columns without it keep their full width.
   */
  shrink?: number;
  /** The narrowest a shrinking column gets, in characters. Default 6. */
  minWidth?: number;
}

/** Options of {@link renderTable}. */
export interface RenderTableOptions {
  /** Fit lines into this many characters by cutting `shrink` columns (a terminal's width); default: no limit. */
  maxWidth?: number;
}

const GAP = '  ';
const DEFAULT_MIN_WIDTH = 6;

/**
 * Plain-text table: a header row, a rule, one line per row, columns aligned and separated
 * by two spaces, trailing spaces trimmed. Cells are printed safely (control characters
 * escaped). With `maxWidth`, shrinkable columns are cut (by priority, widest first) until
 * the lines fit or every one is at its `minWidth`.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly unknown[])[], options: RenderTableOptions = {}): string {
  const cells = rows.map((row) => columns.map((_, i) => [...sanitizeCell(row[i])]));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  if (options.maxWidth !== undefined) fit(columns, widths, options.maxWidth);

  const line = (values: string[][]) =>
    values
      .map((chars, i) => {
        const w = widths[i]!;
        const text = chars.length > w ? `${chars.slice(0, Math.max(0, w - 1)).join('')}…` : chars.join('');
        return columns[i]!.align === 'right' ? text.padStart(w) : text.padEnd(w);
      })
      .join(GAP)
      .trimEnd();
  const header = line(columns.map((c) => [...c.header]));
  const rule = widths.map((w) => '-'.repeat(w)).join(GAP);
  return [header, rule, ...cells.map(line)].join('\n') + '\n';
}

/** Narrows shrinkable columns in place, lowest priority number first and widest first within it. */
function fit(columns: readonly TableColumn[], widths: number[], maxWidth: number): void {
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1) - maxWidth;
  const priorities = [...new Set(columns.map((c) => c.shrink).filter((p): p is number => p !== undefined))].sort((a, b) => a - b);
  for (const priority of priorities) {
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        if (c.shrink === priority && widths[i]! > (c.minWidth ?? DEFAULT_MIN_WIDTH) && (widest === -1 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest === -1) break;
      widths[widest] = widths[widest]! - 1;
      excess--;
    }
  }
}
