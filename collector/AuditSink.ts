import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import type { AuditEventInput, AuditStore } from '../src/audit/AuditStore.ts';
import { openAuditStore } from '../src/audit/open-audit-store.ts';
import { decodeLogsRequest } from '../src/otlp/decode-logs-request.ts';
import { OtlpDecodeError } from '../src/otlp/OtlpDecodeError.ts';
import { otlpEncodingOf } from '../src/otlp/otlp-encoding-of.ts';
import { auditEventsFromRecords } from './audit-events-from-records.ts';
import { ChainVerifier } from './ChainVerifier.ts';
import { isTransientDatabaseError } from './is-transient-database-error.ts';
import { exportLogsResponse, type OtlpBody, RpcCode, statusBody } from './otlp-responses.ts';
import { BodyTooLargeError, CorruptBodyError, readBody, UnsupportedEncodingError } from './read-body.ts';
import type { SinkConfig } from './sink-config.ts';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Counters of what the sink has done since it started (served on /health). */
export interface SinkStats {
  requests: number;
  /** Log records decoded from accepted requests. */
  records: number;
  /** Audit events among them. */
  events: number;
  inserted: number;
  duplicates: number;
  /** Events the database refused for their content (reported as partial success, logged). */
  rejected: number;
  /** Requests answered 503 because the database was unavailable. */
  unavailable: number;
  /** Requests refused as malformed (400), too large (413), of another type (415) or unauthenticated (401). */
  refused: number;
}

export interface AuditSinkOptions {
  config: SinkConfig;
  /** Opens the audit store. Default: `openAuditStore(config.audit)`. */
  openStore?: () => Promise<AuditStore>;
}

/**
 * The audit sink: an OTLP/HTTP logs endpoint (`POST /v1/logs`, protobuf or JSON,
 * optionally compressed) that writes the audit records it receives into the audit
 * store, plus `GET /health`.
 *
 * It answers 200 only after the rows are committed (duplicates by event id are ignored,
 * so a retried request is harmless), 503 with Retry-After while the database is
 * unavailable (the collector's persistent queue then retries), 400 for a malformed body,
 * 413 over the size limit, 415 for another content type or encoding, 401 without the
 * configured token. No request can crash it: every failure becomes a status code.
 */
export class AuditSink {
  readonly server: http.Server;
  readonly #config: SinkConfig;
  readonly #openStore: () => Promise<AuditStore>;
  readonly #verifier: ChainVerifier;
  readonly #stats: SinkStats = { requests: 0, records: 0, events: 0, inserted: 0, duplicates: 0, rejected: 0, unavailable: 0, refused: 0 };
  #store: AuditStore | undefined;
  #opening: Promise<void> | undefined;
  #reopenTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: AuditSinkOptions) {
    this.#config = options.config;
    this.#openStore = options.openStore ?? (() => openAuditStore(options.config.audit));
    this.#verifier = new ChainVerifier(() => this.#store, options.config.verifyIntervalMillis);
    this.server = http.createServer((req, res) => {
      this.#handle(req, res).catch((err) => {
        // Unreachable by design; a bug must still not take the process down.
        diag.error(`otel-activity audit sink: unexpected error: ${(err as Error)?.stack ?? err}`);
        if (!res.headersSent) send(res, 503, statusBody(undefined, RpcCode.UNAVAILABLE, 'internal error'), this.#config.retryAfterSeconds);
        else res.destroy();
      });
    });
    this.server.requestTimeout = 60_000;
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Opens the store (retrying in the background until the database answers) and listens. */
  async listen(): Promise<string> {
    this.#open();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.#config.port, this.#config.host, () => resolve());
    });
    const { address, port } = this.server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  }

  /** Stops accepting requests, waits for those in flight, stops verification, closes the store. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reopenTimer);
    this.#verifier.stop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.#opening?.catch(() => {});
    await this.#store?.close().catch((err: Error) => diag.warn(`otel-activity audit sink: closing the store: ${err.message}`));
    this.#store = undefined;
  }

  stats(): SinkStats {
    return { ...this.#stats };
  }

  /** The chain verifier (runs every `verifyIntervalMillis`; `runNow()` for an immediate run). */
  get verifier(): ChainVerifier {
    return this.#verifier;
  }

  #open(): void {
    if (this.#closed || this.#store !== undefined || this.#opening !== undefined) return;
    this.#opening = this.#openStore().then(
      (store) => {
        this.#opening = undefined;
        if (this.#closed) return void store.close();
        this.#store = store;
        diag.info(`otel-activity audit sink: audit store open (${store.kind})`);
        this.#verifier.start();
      },
      (err: Error) => {
        this.#opening = undefined;
        diag.warn(`otel-activity audit sink: audit store unavailable, retrying in ${this.#config.reopenIntervalMillis} ms: ${err.message}`);
        this.#reopenTimer = setTimeout(() => this.#open(), this.#config.reopenIntervalMillis);
        this.#reopenTimer.unref();
      },
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
      return this.#health(res);
    }
    if (path !== '/v1/logs') return sendJson(res, 404, { error: 'not found: the audit sink serves POST /v1/logs and GET /health' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: POST /v1/logs' });
    this.#stats.requests++;
    return this.#export(req, res);
  }

  async #export(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const encoding = otlpEncodingOf(req.headers['content-type']);
    if (this.#config.token !== undefined && !tokenMatches(req.headers.authorization, this.#config.token)) {
      return this.#refuse(req, res, 401, statusBody(encoding, RpcCode.UNAUTHENTICATED, 'missing or wrong bearer token'));
    }
    if (encoding === undefined) {
      return this.#refuse(req, res, 415, statusBody(undefined, RpcCode.INVALID_ARGUMENT, 'Content-Type must be application/x-protobuf or application/json'));
    }
    let body: Buffer;
    try {
      body = await readBody(req, this.#config.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return this.#refuse(req, res, 413, statusBody(encoding, RpcCode.RESOURCE_EXHAUSTED, err.message));
      if (err instanceof UnsupportedEncodingError) return this.#refuse(req, res, 415, statusBody(encoding, RpcCode.INVALID_ARGUMENT, err.message));
      if (err instanceof CorruptBodyError) return this.#refuse(req, res, 400, statusBody(encoding, RpcCode.INVALID_ARGUMENT, err.message));
      res.destroy(); // the client went away mid-body
      return;
    }
    let events: AuditEventInput[];
    try {
      const records = decodeLogsRequest(body, req.headers['content-type']);
      this.#stats.records += records.length;
      events = auditEventsFromRecords(records);
    } catch (err) {
      if (err instanceof OtlpDecodeError) return this.#refuse(req, res, 400, statusBody(encoding, RpcCode.INVALID_ARGUMENT, err.message));
      throw err;
    }
    this.#stats.events += events.length;
    if (events.length === 0) return send(res, 200, exportLogsResponse(encoding));
    const result = await this.#append(events);
    if (result === 'unavailable') {
      this.#stats.unavailable++;
      return send(res, 503, statusBody(encoding, RpcCode.UNAVAILABLE, 'audit database unavailable; retry later'), this.#config.retryAfterSeconds);
    }
    const message = result.rejected > 0 ? `${result.rejected} audit event(s) refused by the database (see the sink's log)` : '';
    return send(res, 200, exportLogsResponse(encoding, result.rejected, message));
  }

  /**
   * Appends a request's events in one go; if the database refuses them for their content,
   * one by one, so that one bad event cannot hold back the others (it is logged and
   * reported as rejected). Any transient failure makes the whole request retryable:
   * events already committed are then skipped as duplicates on the retry.
   */
  async #append(events: AuditEventInput[]): Promise<{ rejected: number } | 'unavailable'> {
    const store = this.#store;
    if (store === undefined) return 'unavailable';
    try {
      this.#count(await store.append(events));
      return { rejected: 0 };
    } catch (err) {
      if (isTransientDatabaseError(err)) {
        diag.warn(`otel-activity audit sink: append failed, answering 503: ${(err as Error).message}`);
        return 'unavailable';
      }
    }
    let rejected = 0;
    for (const event of events) {
      try {
        this.#count(await store.append([event]));
      } catch (err) {
        if (isTransientDatabaseError(err)) return 'unavailable';
        rejected++;
        this.#stats.rejected++;
        diag.error(`otel-activity audit sink: audit event refused by the database (${(err as Error).message}): ${safeJson(event)}`);
      }
    }
    return { rejected };
  }

  #count(outcome: { inserted: number; duplicates: number }): void {
    this.#stats.inserted += outcome.inserted;
    this.#stats.duplicates += outcome.duplicates;
  }

  async #health(res: ServerResponse): Promise<void> {
    let database = 'down';
    if (this.#store !== undefined) {
      try {
        await this.#store.get({ allTenants: true }, NIL_UUID); // a one-row index probe
        database = 'up';
      } catch (err) {
        diag.debug(`otel-activity audit sink: health probe failed: ${(err as Error).message}`);
      }
    }
    const ok = database === 'up';
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', database, store: this.#store?.kind ?? null, stats: this.#stats, verify: this.#verifier.last() ?? null });
  }

  /** Answers a refusal and drops the rest of the request, so an oversized upload is not read to its end. */
  #refuse(req: IncomingMessage, res: ServerResponse, status: number, body: OtlpBody): void {
    this.#stats.refused++;
    res.setHeader('connection', 'close');
    res.on('finish', () => req.destroy());
    send(res, status, body);
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first different byte.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!.trim()), digest(token));
}

function send(res: ServerResponse, status: number, body: OtlpBody, retryAfterSeconds?: number): void {
  res.statusCode = status;
  res.setHeader('content-type', body.contentType);
  res.setHeader('content-length', body.body.length);
  if (retryAfterSeconds !== undefined) res.setHeader('retry-after', String(retryAfterSeconds));
  res.end(body.body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, { contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) });
}

function safeJson(event: AuditEventInput): string {
  try {
    return JSON.stringify(event);
  } catch {
    return `{"eventId":${JSON.stringify(event.eventId)}}`;
  }
}

