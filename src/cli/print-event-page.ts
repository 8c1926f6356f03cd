import type { AuditEvent, Page } from '../audit/AuditStore.ts';
import type { CliContext } from './CliCommand.ts';
import { printJson } from './print-json.ts';
import { renderTable, type TableColumn } from './render-table.ts';

// On a narrow terminal the free text goes first, then names, the event id last.
const COLUMNS: readonly TableColumn[] = [
  { header: 'TIME (UTC)' },
  { header: 'TENANT', shrink: 2 },
  { header: 'ACTION', shrink: 3 },
  { header: 'RESULT' },
  { header: 'RISK', align: 'right' },
  { header: 'USER', shrink: 2 },
  { header: 'RESOURCE', shrink: 1, minWidth: 8 },
  { header: 'DESCRIPTION', shrink: 1, minWidth: 12 },
  { header: 'EVENT ID', shrink: 4, minWidth: 8 },
];

/**
 * Prints a page of events: with `--json` the page itself (`{ items, nextCursor? }`), else
 * a table fitted to the terminal, a count, and the `--cursor` of the next page if any.
 */
export function printEventPage(ctx: CliContext, page: Page<AuditEvent>): void {
  if (ctx.json) {
    printJson(ctx.stdout, page);
    return;
  }
  if (page.items.length === 0) {
    ctx.stdout.write('No events.\n');
    return;
  }
  const rows = page.items.map((e) => [
    e.createdAt.toISOString().replace('T', ' ').slice(0, 19),
    e.tenantId === '' ? '-' : e.tenantId,
    e.action,
    e.level === 'info' ? e.outcome : `${e.outcome} (${e.level})`,
    e.riskScore ?? '',
    e.userId ?? '',
    e.resourceType === null ? '' : e.resourceId === null ? e.resourceType : `${e.resourceType}:${e.resourceId}`,
    e.description ?? '',
    e.eventId,
  ]);
  ctx.stdout.write(renderTable(COLUMNS, rows, ctx.width === undefined ? {} : { maxWidth: ctx.width }));
  const count = `${page.items.length} event${page.items.length === 1 ? '' : 's'}`;
  ctx.stdout.write(page.nextCursor ? `${count}; more with --cursor ${page.nextCursor}\n` : `${count}\n`);
}
