import http from 'node:http';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../support/activity-apps.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';
import { describeHttpActivity } from './http-activity.spec.ts';

describe('HttpActivityInstrumentation with a plain node:http server', () => describeHttpActivity(createHttpApp));

describe("the app's own hooks into its requests", () => {
  let pipeline: TestPipeline;
  const app = createHttpApp();
  let base: string;
  beforeAll(async () => {
    pipeline = startTestPipeline({ console: 'off' });
    base = await listen(app.server);
  });
  afterAll(async () => {
    await close(app.server);
    await pipeline.stop();
  });

  /** The records a request adds once `expected` of them arrived. */
  async function recordsOf(request: () => Promise<void>, expected: number) {
    const before = pipeline.records().length;
    await request();
    await waitFor(() => pipeline.records().length >= before + expected);
    return pipeline.records().slice(before);
  }

  it('should carry identity bound in a stream callback (req.on(\'end\') runs outside the handler\'s async context)', async () => {
    const [record] = await recordsOf(async () => {
      const response = await fetch(`${base}/upload-body`, { method: 'POST', body: 'x'.repeat(200_000) });
      expect(await response.text()).toBe('200000');
    }, 1);
    expect(record!.attributes['user.id']).toBe('stream-user');
  });

  it('should give the error record the type and message of an error passed to activity.setError', async () => {
    const records = await recordsOf(async () => {
      expect((await fetch(`${base}/oops`)).status).toBe(500);
    }, 2);
    const error = records.find((r) => r.eventName === 'activity.error')!;
    expect(error.attributes['exception.type']).toBe('SyntaxError');
    expect(String(error.attributes['exception.message'])).toMatch(/JSON/);
  });
});

describe('a handler that throws synchronously', () => {
  let pipeline: TestPipeline;
  beforeAll(() => {
    pipeline = startTestPipeline({ console: 'off' });
  });
  afterAll(() => pipeline.stop());

  it('should run once and let its error through, on an ignored path as on any other', () => {
    for (const url of ['/health', '/items/1']) {
      let calls = 0;
      const server = http.createServer(() => {
        calls++;
        throw new RangeError(`boom on ${url}`);
      });
      const req = Object.assign(new http.IncomingMessage(new Socket()), { url, method: 'GET', headers: {} });
      const res = new http.ServerResponse(req);
      expect(() => server.emit('request', req, res)).toThrow(`boom on ${url}`);
      expect(calls, url).toBe(1);
    }
  });
});
