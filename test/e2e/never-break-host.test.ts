import http from 'node:http';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { activity } from '../../src/index.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';

/** An output that fails on every record. */
const throwingProcessor: LogRecordProcessor = {
  onEmit() {
    throw new Error('exporter exploded');
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

describe('a failing part of otel-activity', () => {
  let pipeline: TestPipeline;
  let server: http.Server;
  afterEach(async () => {
    await close(server);
    await pipeline.stop();
  });

  /** A server whose handler uses the recorder API with hostile data. */
  async function serve(): Promise<string> {
    server = http.createServer((req, res) => {
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      const recorder = activity.getRecorder('hostile');
      recorder.recordAction({ type: 'custom', description: 'x'.repeat(1_000_000), data: { cyclic, big: 1n, when: new Date(0), fn: () => 1, err: new Error('inner'), huge: 'y'.repeat(5_000_000) } });
      recorder.recordAction(undefined as never);
      recorder.recordAction({ type: 42 as never, description: Symbol('s') as never });
      recorder.recordError('not an error object');
      res.statusCode = req.url === '/created' ? 201 : 200;
      res.end('fine');
    });
    return listen(server);
  }

  it('should leave every response at its normal status when an output throws', async () => {
    pipeline = startTestPipeline({ console: 'off' }, { processors: [throwingProcessor] });
    const base = await serve();
    const statuses = await Promise.all(['/a', '/created', '/b'].map(async (p) => (await fetch(base + p)).status));
    expect(statuses).toEqual([200, 201, 200]);
    await waitFor(() => pipeline.fileLines().length >= 3 * 4 && activity.stats().failed >= 12, 5000).catch(async () => {
      await pipeline.handle.forceFlush();
    });
    await pipeline.handle.forceFlush();
    // The other outputs still got every record.
    expect(pipeline.fileLines().filter((l) => l.event === 'activity.api_call')).toHaveLength(3);
    expect(activity.stats().failed).toBeGreaterThanOrEqual(3);
  });

  it('should leave every response at its normal status when app hooks throw', async () => {
    pipeline = startTestPipeline({
      console: 'narrative',
      identify: () => {
        throw new Error('identify hook bug');
      },
      ignore: () => {
        throw new Error('ignore hook bug');
      },
      narrativeTemplates: {
        api_call: () => {
          throw new Error('template bug');
        },
      },
    });
    const base = await serve();
    expect((await fetch(`${base}/c`)).status).toBe(200);
    await waitFor(() => pipeline.records().some((r) => r.eventName === 'activity.api_call'));
    const stats = activity.stats();
    expect(stats.hookErrors).toBeGreaterThanOrEqual(3);
    // A broken template falls back to the description.
    expect(pipeline.consoleLines).toContain('[INFO] GET /c');
  });

  it('should keep records within bounds however large or cyclic the data', async () => {
    pipeline = startTestPipeline({ console: 'off', maxValueLength: 1000 });
    const base = await serve();
    expect((await fetch(`${base}/d`)).status).toBe(200);
    await waitFor(() => pipeline.records().length >= 5);
    const custom = pipeline.records().find((r) => r.eventName === 'activity.custom')!;
    expect(String(custom.attributes['activity.description']).length).toBeLessThanOrEqual(1000);
    expect(custom.attributes['activity.data']).toMatchObject({ cyclic: { name: 'loop', self: '[Circular]' }, big: '1', when: '1970-01-01T00:00:00.000Z', err: { type: 'Error', message: 'inner' } });
    expect(String((custom.attributes['activity.data'] as Record<string, string>).huge).length).toBeLessThanOrEqual(1000);
    expect(pipeline.records().map((r) => r.eventName)).toEqual(['activity.custom', 'activity.custom', 'activity.custom', 'activity.error', 'activity.api_call']);
    expect(activity.stats().internalErrors).toBe(0);
  });

  it('should keep serving when the collector is unreachable', async () => {
    pipeline = startTestPipeline(
      { console: 'off' },
      { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TIMEOUT: '300', OTEL_BLRP_SCHEDULE_DELAY: '10', OTEL_BLRP_EXPORT_TIMEOUT: '500' } },
    );
    const base = await serve();
    for (let i = 0; i < 5; i++) expect((await fetch(`${base}/e${i}`)).status).toBe(200);
    // The file output is not held up by the dead collector…
    await waitFor(() => pipeline.fileLines().filter((l) => l.event === 'activity.api_call').length === 5);
    // …and the failed exports are counted, not thrown.
    await waitFor(() => activity.stats().sdkErrors + activity.stats().failed > 0, 10_000);
  });
});
