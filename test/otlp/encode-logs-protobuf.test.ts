import { SeverityNumber } from '@opentelemetry/api';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { decodeLogsProtobuf } from '../../src/otlp/decode-logs-protobuf.ts';
import { createNarrativeFormatter } from '../../src/narrative/format-narrative.ts';
import { encodeLogsProtobuf } from '../../src/otlp/encode-logs-protobuf.ts';
import { NarrativeLogRecordProcessor } from '../../src/processors/NarrativeLogRecordProcessor.ts';
import { ActivityFields, CONTRACT } from '../../src/records/ActivityFields.ts';
import { ActivityLogRecord } from '../../src/records/ActivityLogRecord.ts';

const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'shop', 'deployment.environment.name': 'test', 'service.instance.id': 'ü-7' }));
const httpScope = { name: 'otel-activity/http', version: '0.1.0' };
const recorderScope = { name: 'billing' };
const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

function ours(attributes: Record<string, unknown>, options: { body?: unknown; scope?: { name: string; version?: string }; time?: number; spanContext?: typeof span } = {}): ActivityLogRecord {
  const r = new ActivityLogRecord(
    resource,
    options.scope ?? httpScope,
    `activity.${String(attributes['activity.type'] ?? 'custom')}`,
    { number: SeverityNumber.WARN, text: 'WARN' },
    options.time ?? 1_764_405_817_123.456,
    ActivityFields.fromAttributes(attributes as never),
    options.spanContext,
  );
  if (options.body !== undefined) r.setBody(options.body as never);
  return r;
}

/** Records made by other code, through the OpenTelemetry Logs API and the SDK. */
function sdkRecords(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('app', '2.0.0');
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'plain log line', attributes: { 'user.id': 42, retries: -3, ratio: 0.25, ok: true, tags: ['a', 'b'] } });
  logger.emit({ body: { structured: { deep: [1, 'x', null] } }, attributes: { big: 2 ** 40, negativeBig: -(2 ** 40), bytes: new Uint8Array([0, 1, 255]) } });
  logger.emit({ eventName: 'custom.event', timestamp: 0, attributes: {} });
  const records = exporter.getFinishedLogRecords();
  expect(records).toHaveLength(3);
  return records;
}

describe('encodeLogsProtobuf', () => {
  it("should write the bytes OpenTelemetry's ProtobufLogsSerializer writes, for otel-activity's records and for other code's", () => {
    const records: ReadableLogRecord[] = [
      ours(
        {
          'activity.type': 'api_call', 'activity.category': 'api', 'activity.description': 'GET /items/42', 'activity.result': 'HTTP 200 SUCCESS',
          'activity.success': true, 'activity.duration_ms': 45.321, 'http.request.method': 'GET', 'url.path': '/items/42', 'http.response.status_code': 200,
          'request.id': 'req-789-012', 'client.address': '127.0.0.1', 'user.id': 'user123', 'user.roles': ['admin'], 'tenant.id': 'org-9',
        },
        { body: "🔌 User user123 made API call to 'GET /items/42' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)", spanContext: span },
      ),
      ours({ 'activity.type': 'form_submission', 'activity.data': { invoice: 'INV-7', amount: 42.5, lines: [{ sku: 'a', qty: 2 }], note: 'x'.repeat(300) }, 'custom.attr': 'kept' }, { scope: recorderScope, body: 'narrative' }),
      ours({ 'activity.type': 'audit', 'audit.action': 'UPDATE', 'audit.details': { from: 'draft', to: 'paid' }, 'audit.persisted': true }, { scope: recorderScope, time: 0 }),
      // Every contract attribute at once: the encoder lists them in the contract's order, as toAttributes does.
      ours(Object.fromEntries(CONTRACT.map(([name], i) => [name, i % 3 === 0 ? `value ${i} ✓` : i % 3 === 1 ? i * 1.5 : [`v${i}`]]))),
      ...sdkRecords(),
    ];
    const expected = ProtobufLogsSerializer.serializeRequest(records)!;
    expect(Buffer.from(encodeLogsProtobuf(records)).equals(Buffer.from(expected))).toBe(true);
  });

  it('should write a pending narrative from the fields as the body, in the bytes the serializer writes for its string', () => {
    const narrate = (templates = {}) => {
      const records = [0, 100, 140, 20_000].map((n) =>
        ours({ 'activity.type': 'api_call', 'user.id': 'user123', 'activity.description': `GET /${'é'.repeat(n)}`, 'activity.result': 'HTTP 200 SUCCESS', 'activity.success': true, 'activity.duration_ms': 45.321 }),
      );
      const processor = new NarrativeLogRecordProcessor(createNarrativeFormatter({ templates }));
      for (const record of records) processor.onEmit(record);
      return records;
    };
    for (const records of [narrate(), narrate({ api_call: () => 'custom sentence' })]) {
      expect(records.every((r) => r.pendingNarrative !== undefined)).toBe(true);
      const encoded = Buffer.from(encodeLogsProtobuf(records)); // before the serializer reads (and so makes) the body strings
      expect(records[0]!.pendingNarrative === undefined).toBe(records[0]!.body === 'custom sentence');
      expect(encoded.equals(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!))).toBe(true);
    }
  });

  it('should write the same bytes as the serializer while attributes repeat from record to record and when they change, within a batch and across batches', () => {
    const roles = ['admin'];
    const request = { 'activity.type': 'api_call', 'activity.category': 'api', 'activity.result': 'HTTP 200 SUCCESS', 'activity.success': true, 'http.request.method': 'GET', 'url.path': '/', 'http.response.status_code': 200, 'client.address': '127.0.0.1', 'user.id': 'user123', 'user.roles': roles };
    const variants: Record<string, unknown>[] = [
      request,
      { ...request, 'url.path': '/items', 'url.query': 'page=2' },
      { ...request, 'http.response.status_code': 500, 'activity.success': false, 'activity.result': 'HTTP 500 SERVER ERROR' },
      { ...request, 'client.address': '10.0.0.7', 'user.id': undefined },
      { 'activity.type': 'checkout', 'activity.data': { orderId: 'o-1' } },
    ];
    for (let batch = 0; batch < 3; batch++) {
      const records: ReadableLogRecord[] = [];
      for (const [i, v] of variants.entries()) {
        for (let repeat = 0; repeat < 3; repeat++) {
          if (batch === 2 && repeat === 2) roles.push(`role-${i}`); // changed in place since the last batch remembered it
          const attributes = Object.fromEntries(Object.entries({ ...v, 'request.id': `r-${batch}-${i}-${repeat}`, 'activity.duration_ms': repeat + 0.5 }).filter(([, x]) => x !== undefined));
          records.push(ours(attributes, { body: `line ${repeat}` }));
        }
      }
      const encoded = Buffer.from(encodeLogsProtobuf(records));
      expect(decodeLogsProtobuf(encoded).map((r) => r.attributes['user.roles'])).toEqual(records.map((r) => r.attributes['user.roles']));
      expect(encoded.equals(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!)), `batch ${batch}`).toBe(true);
    }
  });

  it('should give a record whose attribute map was changed by a processor its changed attributes', () => {
    const record = ours({ 'activity.type': 'click', 'user.id': 'alice' });
    record.setAttribute('user.id', 'bob');
    const [decoded] = decodeLogsProtobuf(encodeLogsProtobuf([record]));
    expect(decoded!.attributes['user.id']).toBe('bob');
  });

  it('should encode lengths of every size (one to three bytes) and a large batch exactly', () => {
    const records = [0, 1, 127, 128, 16_383, 16_384, 70_000].map((n) => ours({ 'activity.type': 'custom', 'activity.description': 'd'.repeat(n) }, { body: 'é'.repeat(n % 1000) }));
    for (let i = 0; i < 600; i++) records.push(ours({ 'activity.type': 'api_call', 'request.id': `r-${i}` }, { body: `line ${i}` }));
    const expected = ProtobufLogsSerializer.serializeRequest(records)!;
    expect(Buffer.from(encodeLogsProtobuf(records)).equals(Buffer.from(expected))).toBe(true);
    expect(decodeLogsProtobuf(encodeLogsProtobuf(records))).toHaveLength(records.length);
  });
});
