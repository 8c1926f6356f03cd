import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { AuditSearchFilters, ChainHead, ExportManifest, ProgressCallback, TenantScope } from '../AuditStore.ts';
import type { SqlQueryable } from '../driver/SqlDriver.ts';
import { EVENT_COLUMNS, rowToAuditEvent, type EventRow } from './event-row.ts';
import { filterClause, scopeTenantId } from './filter-clause.ts';
import { CSV_HEADER, csvLine, jsonLine } from './format-export-row.ts';
import { readChainHeads } from './read-chain-heads.ts';
import { SqlParams } from './SqlParams.ts';

/** Rows fetched per query while exporting. */
const EXPORT_BATCH_ROWS = 1000;

/** Export settings. */
export interface ExportOptions {
  format: 'csv' | 'jsonl';
  output: Writable;
  onProgress?: ProgressCallback;
}

/**
 * Streams the matching events oldest first (created_at, event id) into `output` as CSV
 * (with a header row) or JSON lines, fetching them in keyset batches so memory stays flat
 * and honouring backpressure. The manifest's sha256 covers exactly the bytes written; its
 * chain heads are read before the first row, to anchor the chains elsewhere. `output` is
 * left open (the caller owns it).
 */
export async function exportEvents(
  db: SqlQueryable,
  scope: TenantScope,
  filters: AuditSearchFilters,
  options: ExportOptions,
): Promise<ExportManifest> {
  const { format, output, onProgress } = options;
  const chainHeads = await headsInScope(db, scope, filters);
  const base = new SqlParams();
  const where = filterClause(scope, filters, base);
  const [{ n: total } = { n: 0 }] = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM activity_log WHERE ${where}`, base.values);

  const sha = createHash('sha256');
  const write = async (chunk: string) => {
    // A reader that went away (an HTTP client aborting) must end the export, not hang it.
    if (isClosed(output)) throw new Error('export output closed before the export finished');
    sha.update(chunk);
    if (!output.write(chunk)) await drained(output);
  };
  if (format === 'csv') await write(CSV_HEADER);

  let rows = 0;
  let after: { createdAt: string; eventId: string } | undefined;
  onProgress?.(0, Number(total));
  for (;;) {
    const params = new SqlParams();
    let clause = filterClause(scope, filters, params);
    if (after) clause += ` AND (created_at, event_id) > (${params.add(after.createdAt)}::timestamptz, ${params.add(after.eventId)}::uuid)`;
    const batch = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM activity_log WHERE ${clause} ORDER BY created_at, event_id LIMIT ${params.add(EXPORT_BATCH_ROWS)}`,
      params.values,
    );
    if (batch.length === 0) break;
    const events = batch.map(rowToAuditEvent);
    await write(events.map(format === 'csv' ? csvLine : jsonLine).join(''));
    rows += events.length;
    const last = events[events.length - 1]!;
    after = { createdAt: last.createdAt.toISOString(), eventId: last.eventId };
    onProgress?.(rows, Math.max(rows, Number(total)));
    if (batch.length < EXPORT_BATCH_ROWS) break;
  }
  return { format, rows, sha256: sha.digest('hex'), chainHeads, createdAt: new Date().toISOString(), filters };
}

async function headsInScope(db: SqlQueryable, scope: TenantScope, filters: AuditSearchFilters): Promise<ChainHead[]> {
  const tenant = scopeTenantId(scope);
  if (tenant !== undefined && filters.tenantId !== undefined && filters.tenantId !== tenant) return [];
  return readChainHeads(db, tenant ?? filters.tenantId);
}

/** Resolves on 'drain'; rejects if the stream errors or closes first. */
async function drained(output: Writable): Promise<void> {
  if (isClosed(output)) throw new Error('export output closed before the export finished'); // 'close' will not come again
  const ac = new AbortController();
  try {
    await Promise.race([
      once(output, 'drain', { signal: ac.signal }),
      once(output, 'close', { signal: ac.signal }).then(() => {
        throw new Error('export output closed before the export finished');
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/** Destroyed, ended or closed: no 'drain' or 'close' event is coming (an http.ServerResponse whose client left is destroyed). */
function isClosed(output: Writable): boolean {
  return output.destroyed || output.writableEnded || (output as { closed?: boolean }).closed === true;
}
