import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { decodeLogsRequest } from '../../src/otlp/decode-logs-request.ts';
import type { DecodedLogRecord } from '../../src/otlp/DecodedLogRecord.ts';
import { close, listen } from './http.ts';

/** A real OTLP/HTTP receiver for tests: `POST /v1/logs` (decoded) and `/v1/traces` (kept raw). */
export interface OtlpReceiver {
  url: string;
  logs: DecodedLogRecord[];
  /** Every request body as received (decompressed), to search for canaries. */
  rawBodies: Buffer[];
  /** OTLP/JSON trace requests, parsed. */
  traceRequests: any[];
  /** When set, answers every request with this status (to simulate a failing collector). */
  failWith?: number;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver: OtlpReceiver = {
    url: '',
    logs: [],
    rawBodies: [],
    traceRequests: [],
    close: async () => close(server),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (receiver.failWith !== undefined) {
        res.statusCode = receiver.failWith;
        res.end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      receiver.rawBodies.push(body);
      const contentType = req.headers['content-type'];
      if (req.url === '/v1/logs') receiver.logs.push(...decodeLogsRequest(body, contentType));
      else if (req.url === '/v1/traces' && contentType?.includes('json')) receiver.traceRequests.push(JSON.parse(body.toString('utf8')));
      res.setHeader('content-type', contentType ?? 'application/x-protobuf');
      res.end(contentType?.includes('json') ? '{}' : '');
    });
  });
  receiver.url = await listen(server);
  return receiver;
}
