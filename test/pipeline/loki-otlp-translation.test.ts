import { describe, expect, it } from 'vitest';
import type { DecodedLogRecord } from '../../src/otlp/DecodedLogRecord.ts';
import { lokiLabelName, translateForLoki } from '../support/loki-otlp-translation.ts';

// The expectations restate the cases of Loki's own tests (pkg/loghttp/push/otlp_test.go
// at v3.7.6: TestOTLPLogToPushEntry, TestAttributesToLabels), so the translation the
// LogQL field checks rely on is itself checked against Loki's behaviour.

function record(overrides: Partial<DecodedLogRecord>): DecodedLogRecord {
  return {
    resource: { 'service.name': 'billing' },
    scope: { name: '', version: '', attributes: {} },
    timeUnixNano: 1_000n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: 'log body',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    ...overrides,
  };
}

describe('translateForLoki', () => {
  it('should store every field of the log record except the body as structured metadata', () => {
    const entry = translateForLoki(
      record({
        observedTimeUnixNano: 1_001n,
        severityNumber: 5,
        severityText: 'debug',
        droppedAttributesCount: 1,
        flags: 1,
        traceId: '12345678123456781234567812345678',
        spanId: '1223ad1223ad1223',
        attributes: { foo: 'bar' },
        eventName: 'activity.api_call',
      }),
    );

    expect(entry).toEqual({
      streamLabels: { service_name: 'billing' },
      structuredMetadata: {
        foo: 'bar',
        observed_timestamp: '1001',
        severity_number: '5',
        severity_text: 'debug',
        dropped_attributes_count: '1',
        flags: '1',
        trace_id: '12345678123456781234567812345678',
        span_id: '1223ad1223ad1223',
        detected_level: 'debug',
      },
      line: 'log body',
    });
  });

  it('should turn values into strings and flatten maps', () => {
    const entry = translateForLoki(
      record({
        attributes: {
          empty: null,
          str: 'val',
          int: 1,
          double: 3.14,
          bool: true,
          bytes: new Uint8Array([1, 2, 3]),
          slice: [1, ['foo'], { fizz: 'buzz' }],
          nested: { foo: 'bar', more: { key: 'val' } },
        },
      }),
    );

    expect(entry.structuredMetadata).toEqual({
      empty: '',
      str: 'val',
      int: '1',
      double: '3.14',
      bool: 'true',
      bytes: 'AQID',
      slice: '[1,["foo"],{"fizz":"buzz"}]',
      nested_foo: 'bar',
      nested_more_key: 'val',
    });
  });

  it('should index only the default resource attributes and keep the others as metadata', () => {
    const entry = translateForLoki(
      record({
        resource: { 'service.name': 'billing', 'deployment.environment.name': 'prod', 'telemetry.sdk.language': 'nodejs' },
        scope: { name: 'otel-activity/http', version: '0.1.0', attributes: {} },
      }),
    );

    expect(entry.streamLabels).toEqual({ service_name: 'billing', deployment_environment_name: 'prod' });
    expect(entry.structuredMetadata).toMatchObject({ telemetry_sdk_language: 'nodejs', scope_name: 'otel-activity/http', scope_version: '0.1.0' });
  });

  it('should derive detected_level from the severity number', () => {
    expect(translateForLoki(record({ severityNumber: 9 })).structuredMetadata.detected_level).toBe('info');
    expect(translateForLoki(record({ severityNumber: 13 })).structuredMetadata.detected_level).toBe('warn');
    expect(translateForLoki(record({ severityNumber: 17 })).structuredMetadata.detected_level).toBe('error');
    expect(translateForLoki(record({ severityNumber: 21 })).structuredMetadata.detected_level).toBe('fatal');
  });
});

describe('lokiLabelName', () => {
  it.each([
    ['user.id', 'user_id'],
    ['activity.duration_ms', 'activity_duration_ms'],
    ['http.response.status_code', 'http_response_status_code'],
    ['st.r', 'st_r'],
    ['nest*ed_fo@o', 'nest_ed_fo_o'],
    ['a._b', 'a_b'],
    ['123invalid', 'key_123invalid'],
    ['__reserved__', '__reserved__'],
  ])('should name %s as %s', (name, expected) => {
    expect(lokiLabelName(name)).toBe(expected);
  });
});
