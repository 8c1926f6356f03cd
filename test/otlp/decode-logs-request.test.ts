import { gzipSync } from 'node:zlib';
import { context, SeverityNumber, trace, TraceFlags } from '@opentelemetry/api';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLogsRequest } from '../../src/otlp/decode-logs-request.ts';
import { OtlpDecodeError } from '../../src/otlp/OtlpDecodeError.ts';
import { emitSdkLogRecords } from '../support/emit-sdk-log-records.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

let records: ReadableLogRecord[];

beforeAll(async () => {
  records = await emitSdkLogRecords({ 'service.name': 'billing', 'deployment.environment.name': 'test' }, (getLogger) => {
    const withSpan = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    getLogger('otel-activity/http', '0.1.0').emit({
      eventName: 'activity.api_call',
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: "🔌 User user123 made API call to 'GET /user-queries' → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)",
      timestamp: new Date('2026-05-04T14:30:25.123Z'),
      context: withSpan,
      attributes: {
        'activity.type': 'api_call',
        'activity.success': true,
        'activity.duration_ms': 45.32,
        'http.response.status_code': 200,
        'user.roles': ['admin', 'billing'],
        'activity.data': { invoiceId: 'INV-7', lines: 3, nested: { ok: false } },
        'audit.details': new Uint8Array([1, 2, 3]),
        'big.negative': -42,
      },
    });
    getLogger('app').emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: { message: 'boom', code: 500 } });
  });
});

describe('decodeLogsRequest', () => {
  describe.each([
    ['protobuf', PROTOBUF, () => ProtobufLogsSerializer.serializeRequest(records)!],
    ['JSON', JSON_TYPE, () => JsonLogsSerializer.serializeRequest(records)!],
  ])('with the SDK %s serializer', (_name, contentType, serialize) => {
    it('should return every record with its resource and scope', () => {
      const decoded = decodeLogsRequest(serialize(), contentType);

      expect(decoded).toHaveLength(2);
      expect(decoded[0]!.resource).toMatchObject({ 'service.name': 'billing', 'deployment.environment.name': 'test' });
      expect(decoded[0]!.scope).toEqual({ name: 'otel-activity/http', version: '0.1.0', attributes: {} });
      expect(decoded[1]!.scope.name).toBe('app');
    });

    it('should decode the fields of a log record', () => {
      const [rec] = decodeLogsRequest(serialize(), contentType);

      expect(rec).toMatchObject({
        eventName: 'activity.api_call',
        severityNumber: 9,
        severityText: 'INFO',
        body: "🔌 User user123 made API call to 'GET /user-queries' → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)",
        timeUnixNano: 1_777_905_025_123_000_000n,
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        flags: 1,
      });
      expect(rec!.observedTimeUnixNano).toBeGreaterThan(0n);
    });

    it('should decode attribute values to plain JavaScript values', () => {
      const [rec] = decodeLogsRequest(serialize(), contentType);

      expect(rec!.attributes).toEqual({
        'activity.type': 'api_call',
        'activity.success': true,
        'activity.duration_ms': 45.32,
        'http.response.status_code': 200,
        'user.roles': ['admin', 'billing'],
        'activity.data': { invoiceId: 'INV-7', lines: 3, nested: { ok: false } },
        'audit.details': new Uint8Array([1, 2, 3]),
        'big.negative': -42,
      });
    });

    it('should decode a map body and leave absent trace context undefined', () => {
      const rec = decodeLogsRequest(serialize(), contentType)[1]!;

      expect(rec.body).toEqual({ message: 'boom', code: 500 });
      expect(rec.severityNumber).toBe(17);
      expect(rec.traceId).toBeUndefined();
      expect(rec.spanId).toBeUndefined();
      expect(rec.eventName).toBeUndefined();
    });

    it('should accept parameters on the content type', () => {
      expect(decodeLogsRequest(serialize(), `${contentType}; charset=utf-8`)).toHaveLength(2);
    });
  });

  describe('with OTLP/JSON as the collector writes it', () => {
    it('should read 64-bit integers given as strings, enum names and snake_case keys', () => {
      const body = JSON.stringify({
        resource_logs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'demo' } }] },
            scope_logs: [
              {
                log_records: [
                  {
                    time_unix_nano: '1777905025123000000',
                    severityNumber: 'SEVERITY_NUMBER_WARN',
                    attributes: [
                      { key: 'huge', value: { intValue: '9007199254740993' } },
                      { key: 'small', value: { intValue: '-7' } },
                      { key: 'nan', value: { doubleValue: 'NaN' } },
                      { key: 'empty', value: {} },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      });
      const [rec] = decodeLogsRequest(Buffer.from(body), JSON_TYPE);

      expect(rec!.resource).toEqual({ 'service.name': 'demo' });
      expect(rec!.timeUnixNano).toBe(1_777_905_025_123_000_000n);
      expect(rec!.severityNumber).toBe(13);
      expect(rec!.attributes).toEqual({ huge: '9007199254740993', small: -7, nan: Number.NaN, empty: null });
    });

    it('should decode an empty request to no records', () => {
      expect(decodeLogsRequest(Buffer.from('{}'), JSON_TYPE)).toEqual([]);
      expect(decodeLogsRequest(new Uint8Array(0), PROTOBUF)).toEqual([]);
    });

    it('should store a __proto__ key as an attribute, not as the prototype', () => {
      const body = JSON.stringify({
        resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }] }] }] }],
      });
      const [rec] = decodeLogsRequest(Buffer.from(body), JSON_TYPE);

      expect(Object.getPrototypeOf(rec!.attributes)).toBe(Object.prototype);
      expect(Object.keys(rec!.attributes)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('with protobuf 64-bit integers', () => {
    const varint = (v: bigint) => {
      const out: number[] = [];
      let x = BigInt.asUintN(64, v);
      while (x > 0x7fn) {
        out.push(Number(x & 0x7fn) | 0x80);
        x >>= 7n;
      }
      return [...out, Number(x)];
    };
    const len = (field: number, bytes: number[]) => [(field << 3) | 2, ...varint(BigInt(bytes.length)), ...bytes];
    const requestWithInt = (v: bigint) => {
      const anyValue = [(3 << 3) | 0, ...varint(v)];
      const keyValue = [...len(1, [0x6e]), ...len(2, anyValue)];
      return Uint8Array.from(len(1, len(2, len(2, len(6, keyValue)))));
    };

    it.each([
      [300n, 300],
      [-42n, -42],
      [9_007_199_254_740_991n, 9_007_199_254_740_991],
      [9_007_199_254_740_993n, '9007199254740993'],
      [-(2n ** 63n), '-9223372036854775808'],
    ])('should decode int_value %s exactly', (value, expected) => {
      expect(decodeLogsRequest(requestWithInt(value), PROTOBUF)[0]!.attributes).toEqual({ n: expected });
    });
  });

  describe('with malformed input', () => {
    const valid = () => ProtobufLogsSerializer.serializeRequest(records)!;
    const jsonRecord = (logRecord: object) => Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [logRecord] }] }] }));

    it.each([
      ['a truncated protobuf body', () => valid().subarray(0, valid().length - 5), PROTOBUF, /truncated/],
      ['gzip bytes sent as protobuf', () => gzipSync(valid()), PROTOBUF, /malformed OTLP/],
      ['an overlong varint', () => Uint8Array.from([0x10, ...Array(11).fill(0xff), 0x01]), PROTOBUF, /varint longer than 10 bytes/],
      ['a length beyond the body', () => Uint8Array.from([0x0a, 0x7f, 0x01]), PROTOBUF, /truncated message/],
      ['invalid UTF-8 in a string', () => Uint8Array.from([0x0a, 0x08, 0x12, 0x06, 0x0a, 0x04, 0x0a, 0x02, 0xc3, 0x28]), PROTOBUF, /not valid UTF-8/],
      ['a 3-byte trace id', () => Uint8Array.from([0x0a, 0x09, 0x12, 0x07, 0x12, 0x05, 0x4a, 0x03, 1, 2, 3]), PROTOBUF, /traceId must be 16 bytes/],
      ['a group wire type on an unknown field', () => Uint8Array.from([0x13]), PROTOBUF, /unsupported wire type 3/],
      ['a known field with the wrong wire type', () => Uint8Array.from([0x08, 0x01]), PROTOBUF, /resource_logs has wire type 0/],
      ['text that is not JSON', () => Buffer.from('{"resourceLogs": ['), JSON_TYPE, /not valid JSON/],
      ['a JSON array', () => Buffer.from('[]'), JSON_TYPE, /request must be an object/],
      ['resourceLogs that is not an array', () => Buffer.from('{"resourceLogs": {}}'), JSON_TYPE, /resourceLogs must be an array/],
      ['a traceId in base64', () => jsonRecord({ traceId: 'S/kvNXezTaajzpKdDg5HNg==' }), JSON_TYPE, /traceId must be 32 hex characters/],
      ['an intValue that is not an integer', () => jsonRecord({ attributes: [{ key: 'x', value: { intValue: '1.5' } }] }), JSON_TYPE, /x must be a 64-bit integer/],
      ['a severityNumber out of range', () => jsonRecord({ severityNumber: 99 }), JSON_TYPE, /severityNumber/],
    ])('should throw OtlpDecodeError for %s', (_name, body, contentType, message) => {
      expect(() => decodeLogsRequest(body(), contentType)).toThrow(OtlpDecodeError);
      expect(() => decodeLogsRequest(body(), contentType)).toThrow(message);
    });

    it('should refuse values nested deeper than 32 levels', () => {
      let value: unknown = { stringValue: 'leaf' };
      for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
      const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: value }] }] }] });

      expect(() => decodeLogsRequest(Buffer.from(body), JSON_TYPE)).toThrow(/nested deeper/);
    });

    it('should throw OtlpDecodeError for a content type that is not OTLP', () => {
      expect(() => decodeLogsRequest(Buffer.from('x'), 'text/plain')).toThrow(OtlpDecodeError);
      expect(() => decodeLogsRequest(Buffer.from('x'), undefined)).toThrow(/unsupported content type/);
    });
  });
});
