import { Writable } from 'node:stream';
import type { ExportManifest } from '../audit/AuditStore.ts';
import { AuditAction } from '../constants.ts';
import { reportError } from '../internal/report-error.ts';
import { AuditApiError, AuditApiErrorCode } from './AuditApiError.ts';
import type { AuditApiRequest } from './AuditApiRequest.ts';
import { recordApiEvent } from './record-api-event.ts';
import { filtersAsJson, flagParam, searchFilters, single } from './request-params.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson, startStream } from './send-json.ts';

/** Query parameters of `GET /export` besides the filters. */
export const EXPORT_PARAMS = ['tenant', 'format', 'manifest'] as const;

const FORMATS: Readonly<Record<string, 'csv' | 'jsonl'>> = { csv: 'csv', json: 'jsonl', jsonl: 'jsonl', ndjson: 'jsonl' };
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' } as const;

/**
 * `GET /export?format=csv|json`: streams the matching events, oldest first, as CSV or JSON
 * lines (default json). The body's row count and sha256 cannot precede it, so they come as
 * HTTP trailers (`X-Export-Rows`, `X-Export-Sha256`, `Content-Digest`); clients that cannot
 * read trailers ask the same URL with `&manifest=1` (plus the `to` the first answer echoed
 * in `X-Export-To`), which answers the manifest of exactly those bytes as JSON.
 *
 * The export is audited (EXPORT, with rows and sha256) before the body is completed: if that
 * fails, the connection is cut, so a client never holds a complete, unaudited export.
 */
export async function handleExport(r: AuditApiRequest): Promise<void> {
  const scope = resolveScope(r);
  const filters = searchFilters(r);
  const rawFormat = (single(r, 'format') ?? 'json').toLowerCase();
  const format = FORMATS[rawFormat];
  if (format === undefined) throw new AuditApiError(400, AuditApiErrorCode.INVALID_QUERY, `format=${JSON.stringify(rawFormat)} is invalid: expected csv or json`);
  const manifestOnly = flagParam(r, 'manifest');
  // Pin the end of the range, so the manifest form can reproduce these exact bytes.
  if (filters.to === undefined) filters.to = new Date();
  const details = { format, filters: filtersAsJson(r, filters) };

  if (manifestOnly) {
    const manifest = await r.store.export(scope, filters, { format, output: discard() });
    await recordApiEvent(r, {
      scope,
      description: `Audit export manifest read: ${manifest.rows} events`,
      details: { ...details, manifest: true, rows: manifest.rows, sha256: manifest.sha256 },
    });
    sendJson(r.res, 200, manifest);
    return;
  }

  const { res } = r;
  const stamp = filters.to.toISOString().replace(/[-:]|\.\d+/g, '');
  startStream(res, {
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="audit-export-${stamp}.${format}"`,
    'x-export-to': filters.to.toISOString(),
    trailer: 'X-Export-Rows, X-Export-Sha256, Content-Digest',
  });
  let manifest: ExportManifest;
  try {
    manifest = await r.store.export(scope, filters, { format, output: res });
    await recordApiEvent(r, {
      action: AuditAction.EXPORT,
      scope,
      description: `Audit trail exported: ${manifest.rows} events as ${format}`,
      details: { ...details, rows: manifest.rows, sha256: manifest.sha256 },
    });
  } catch (error) {
    // The status line is gone: the honest signal left is a body that never completes.
    const clientGone = res.destroyed || r.req.destroyed;
    res.destroy();
    if (!clientGone) reportError('internalErrors', 'audit API export', error);
    await recordApiEvent(r, {
      action: AuditAction.EXPORT,
      scope,
      outcome: 'failure',
      level: 'warn',
      description: `Audit export ${clientGone ? 'abandoned by the client' : 'failed'}`,
      details,
    }).catch(() => {});
    return;
  }
  res.addTrailers({
    'X-Export-Rows': String(manifest.rows),
    'X-Export-Sha256': manifest.sha256,
    'Content-Digest': `sha-256=:${Buffer.from(manifest.sha256, 'hex').toString('base64')}:`,
  });
  res.end();
}

/** A sink that only lets the store hash and count. */
function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
