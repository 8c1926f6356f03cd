import http from 'node:http';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity } from '../../src/index.ts';
import { close, listen, waitFor } from '../support/http.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';
import { readFileSync } from 'node:fs';

/** Secrets planted everywhere a request and the app can put them. None may leave the process. */
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnktdXNlciJ9.QmFzZTY0Q2FuYXJ5U2lnbmF0dXJlMTIzNDU2';
const CARD = '4242424242424242';
const CARD_SPACED = '4242 4242 4242 4242';
const PASSWORD = 'Sup3rS3cretPassw0rd!';
const API_KEY = 'sk_live_51Hx7qZ2eZvKYlo2Canary';
const CANARIES = [JWT, JWT.split('.')[1]!, CARD, CARD_SPACED, PASSWORD, API_KEY];

describe('secrets planted in a request', () => {
  let receiver: OtlpReceiver;
  let pipeline: TestPipeline;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    pipeline = startTestPipeline(
      { console: 'narrative', ignorePaths: ['/v1'] },
      { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' } },
    );
    const app = express();
    app.set('env', 'test');
    app.use(express.json());
    app.post('/login', (req) => {
      const recorder = activity.getRecorder('auth');
      activity.setUser({ id: 'canary-user' });
      // The app records what it was sent: body and headers, as apps do.
      recorder.recordFormSubmission('Login', false, { body: req.body, headers: req.headers } as Record<string, unknown>);
      recorder.recordAction({ type: 'auth', description: `login with password=${PASSWORD}`, data: { body: req.body, headers: req.headers, query: req.query } });
      recorder.recordAuth('login', false, { attempted: req.body, authorization: req.headers.authorization });
      recorder.recordError(new Error(`login failed: password=${PASSWORD} card ${CARD_SPACED} token ${JWT} api_key=${API_KEY}`), { body: req.body });
      // …and onto the request's SERVER span, which otel-activity made and the app can reach.
      const span = trace.getActiveSpan();
      span?.setAttribute('app.login_request', `password=${PASSWORD}`);
      span?.setAttributes({ 'app.card': CARD, 'app.api_key': API_KEY });
      span?.addEvent('login attempt', { 'app.detail': `Bearer ${JWT}` });
      span?.recordException(new Error(`card ${CARD_SPACED} refused`));
      span?.setStatus({ code: SpanStatusCode.ERROR, message: `api_key=${API_KEY}` });
      span?.updateName(`POST /login?token=${JWT}`);
      throw new Error(`upstream rejected Bearer ${JWT} for card ${CARD} (password: "${PASSWORD}")`);
    });
    server = http.createServer(app);
    base = await listen(server);
  });

  afterAll(async () => {
    await close(server);
    await pipeline.stop();
    await receiver.close();
  });

  it('should never show them on the console, in the JSON file or in the OTLP payload', async () => {
    const response = await fetch(`${base}/login?token=${JWT}&api_key=${API_KEY}&card=${CARD}&password=${encodeURIComponent(PASSWORD)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${JWT}`,
        'x-api-key': API_KEY,
        cookie: `sid=${JWT}`,
        referer: `https://app.test/checkout?card=${CARD}&token=${JWT}`,
        'user-agent': `canary-agent apikey=${API_KEY}`,
      },
      body: JSON.stringify({ username: 'canary-user', password: PASSWORD, card_number: CARD_SPACED, note: `my card is ${CARD}`, apiKey: API_KEY, token: JWT }),
    });
    expect(response.status).toBe(500);
    await waitFor(() => pipeline.records().length >= 6);
    await pipeline.handle.forceFlush();

    const consoleText = pipeline.consoleLines.join('\n');
    const fileText = readFileSync(pipeline.filePath, 'utf8');
    const otlpPayload = Buffer.concat(receiver.rawBodies);

    // The outputs really carry these records (so the test cannot pass by dropping them)…
    expect(pipeline.consoleLines.length).toBeGreaterThanOrEqual(6);
    expect(fileText.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(6);
    expect(receiver.logs.length).toBeGreaterThanOrEqual(6);
    await waitFor(() => JSON.stringify(receiver.traceRequests).includes('app.login_request'));
    expect(consoleText).toContain('Su*******d!');
    expect(fileText).toContain('"password":"Su*******d!"');
    expect(otlpPayload.includes('Su*******d!')).toBe(true);
    // …and none of the planted secrets.
    for (const canary of CANARIES) {
      expect(consoleText, `console shows ${canary}`).not.toContain(canary);
      expect(fileText, `file shows ${canary}`).not.toContain(canary);
      expect(otlpPayload.includes(canary), `OTLP payload carries ${canary}`).toBe(false);
      expect(JSON.stringify(pipeline.records()), `a record carries ${canary}`).not.toContain(canary);
    }
  });
});
