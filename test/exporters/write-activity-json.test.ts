import type { AnyValue } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { GrowableByteSink } from '../../src/internal/ByteSink.ts';
import { toActivityJson } from '../../src/exporters/to-activity-json.ts';
import { writeActivityJson } from '../../src/exporters/write-activity-json.ts';
import { ActivityFields } from '../../src/records/ActivityFields.ts';
import { ActivityLogRecord } from '../../src/records/ActivityLogRecord.ts';

const resource = resourceFromAttributes({ 'service.name': 'shop' });

/** The seed's line shape, written out plainly: what `jq` recipes read. */
function seedShape(record: ReadableLogRecord): unknown {
  const a = record.attributes as Record<string, AnyValue>;
  const mapped = new Set([
    'activity.type', 'activity.category', 'activity.description', 'activity.duration_ms', 'activity.result', 'activity.success',
    'activity.risk_score', 'activity.data', 'session.id', 'user.id', 'user.name', 'user.roles', 'tenant.id', 'client.address',
    'user_agent.original', 'url.path', 'http.request.header.referer', 'request.id', 'http.request.method', 'url.full', 'url.query',
    'http.route', 'http.response.status_code', 'exception.type', 'exception.message', 'exception.stacktrace', 'error.type',
    'audit.event_id', 'audit.action', 'audit.resource.type', 'audit.resource.id', 'audit.details', 'audit.outcome', 'audit.persisted',
  ]);
  const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !mapped.has(k)));
  const [seconds, nanos] = record.hrTime;
  return {
    event: record.eventName ?? 'log',
    level: record.severityText,
    narrative: record.body ?? undefined,
    service: 'shop',
    action: {
      action_type: a['activity.type'],
      category: a['activity.category'],
      description: a['activity.description'],
      duration_ms: a['activity.duration_ms'],
      result: a['activity.result'],
      success: a['activity.success'],
      risk_score: a['activity.risk_score'],
      timestamp: `${new Date(seconds * 1000).toISOString().slice(0, 20)}${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`,
      data: a['activity.data'],
    },
    session: {
      session_id: a['session.id'],
      user_id: a['user.id'],
      user_name: a['user.name'],
      user_roles: a['user.roles'],
      tenant_id: a['tenant.id'],
      ip_address: a['client.address'],
      user_agent: a['user_agent.original'],
      current_page: a['url.path'],
      referrer: a['http.request.header.referer'],
    },
    context: {
      request_id: a['request.id'],
      method: a['http.request.method'],
      url: a['url.full'] ?? (a['url.query'] === undefined ? a['url.path'] : `${a['url.path']}?${a['url.query']}`),
      route: a['http.route'],
      status_code: a['http.response.status_code'],
      trace_id: record.spanContext?.traceId,
      span_id: record.spanContext?.spanId,
    },
    error: a['exception.type'] === undefined && a['exception.message'] === undefined ? undefined : { type: a['exception.type'], message: a['exception.message'], stacktrace: a['exception.stacktrace'] },
    audit: a['audit.action'] === undefined ? undefined : { event_id: a['audit.event_id'], action: a['audit.action'], resource_type: a['audit.resource.type'], resource_id: a['audit.resource.id'], outcome: a['audit.outcome'], details: a['audit.details'] },
    attributes: Object.keys(rest).length > 0 ? rest : undefined,
  };
}

function record(attributes: Record<string, AnyValue>, extra: Partial<{ body: AnyValue; spanContext: ActivityLogRecord['spanContext']; timeMillis: number }> = {}): ActivityLogRecord {
  const r = new ActivityLogRecord(resource, { name: 'test' }, 'activity.api_call', { number: 9, text: 'INFO' }, extra.timeMillis ?? Date.parse('2024-01-15T14:30:25.123Z') + 0.456, ActivityFields.fromAttributes(attributes), extra.spanContext);
  if (extra.body !== undefined) r.setBody(extra.body);
  return r;
}

function line(r: ReadableLogRecord): string {
  const sink = new GrowableByteSink(16);
  writeActivityJson(sink, r);
  return sink.text();
}

const HTTP = {
  'activity.type': 'api_call',
  'activity.category': 'api',
  'activity.description': 'GET /user-queries',
  'activity.result': 'HTTP 200 SUCCESS',
  'activity.success': true,
  'activity.duration_ms': 45.321,
  'http.request.method': 'GET',
  'url.path': '/user-queries',
  'url.query': 'page=2',
  'http.route': '/user-queries',
  'http.response.status_code': 200,
  'request.id': 'req-789-012',
  'client.address': '192.168.1.100',
  'user_agent.original': 'Mozilla/5.0 "quoted"',
  'session.id': '0123456789abcdef',
  'user.id': 'user123',
  'user.roles': ['admin', 'ops'],
  'tenant.id': 'org-9',
};

describe('writeActivityJson', () => {
  it("should write the seed's shape, byte for byte what JSON.stringify of it gives", () => {
    const r = record(HTTP, { body: "🔌 User user123 made API call to 'GET /user-queries' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)" });
    expect(line(r)).toBe(JSON.stringify(seedShape(r)));
    expect(JSON.parse(line(r))).toMatchObject({ action: { duration_ms: 45.321, timestamp: '2024-01-15T14:30:25.123456Z' }, session: { user_id: 'user123' } });
  });

  it('should write errors, audit events, data maps, trace ids and attributes outside the contract', () => {
    const r = record(
      {
        ...HTTP,
        'activity.data': { orderId: 'ord-1', items: [1, 2, { sku: 'a"b' }], nested: { deep: null } },
        'error.type': 'TypeError',
        'exception.type': 'TypeError',
        'exception.message': 'bad\nthing',
        'exception.stacktrace': 'TypeError: bad\n    at x (file.js:1:1)',
        'audit.event_id': '0190f1e2-0000-7000-8000-000000000000',
        'audit.action': 'UPDATE',
        'audit.resource.type': 'invoice',
        'audit.resource.id': 'INV-7',
        'audit.details': { status: 'paid' },
        'audit.outcome': 'success',
        'custom.flag': true,
        other: 3,
      },
      { spanContext: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 } },
    );
    expect(line(r)).toBe(JSON.stringify(seedShape(r)));
  });

  it('should write a record of other code from its attribute map, and a record whose map a processor changed', () => {
    const sdkRecord = { ...record({}), eventName: undefined, severityText: 'WARN', body: { structured: 'body' }, attributes: { 'user.id': 7, 'http.request.method': 'POST', note: 'x' }, hrTime: [1705329025, 5_000] } as unknown as ReadableLogRecord;
    expect(line(sdkRecord)).toBe(JSON.stringify(seedShape(sdkRecord)));

    const changed = record(HTTP);
    changed.setAttribute('user.id', 'someone-else');
    expect(JSON.parse(line(changed)).session.user_id).toBe('someone-else');
  });

  it('should leave absent parts out and keep the line one valid JSON object', () => {
    const r = record({ 'activity.type': 'click' });
    expect(JSON.parse(line(r))).toEqual({
      event: 'activity.api_call',
      level: 'INFO',
      service: 'shop',
      action: { action_type: 'click', timestamp: '2024-01-15T14:30:25.123456Z' },
      session: {},
      context: {},
    });
  });

  it('should match JSON.stringify on strings that need escaping, long values and lone surrogates', () => {
    const nasty = ['"quoted"', 'back\\slash', 'tab\tnew\nline', 'nul\u0000', 'lone \ud800', '→ ✅ 😀', 'y'.repeat(5000)];
    for (const value of nasty) {
      const r = record({ 'activity.type': 'custom', 'activity.description': value, 'user.id': value, 'activity.data': { value } }, { body: value });
      expect(line(r)).toBe(JSON.stringify(seedShape(r)));
    }
  });

  it('should write the same bytes line after line while members repeat, and when they change, in a shared buffer or a growing one', () => {
    const roles = ['admin', 'ops'];
    const variants: Record<string, AnyValue>[] = [
      { ...HTTP, 'user.roles': roles },
      { ...HTTP, 'user.roles': roles, 'activity.description': 'GET /other' },
      { ...HTTP, 'user.roles': roles, 'client.address': '10.0.0.7', 'http.response.status_code': 404, 'activity.success': false },
      { ...HTTP, 'user.roles': roles, 'user.id': undefined as unknown as AnyValue, 'url.query': undefined as unknown as AnyValue },
      { 'activity.type': 'checkout', 'activity.description': 'Order placed', 'activity.data': { orderId: 'o-1' }, 'user.id': 'user123' },
    ];
    const shared = new GrowableByteSink(1 << 16);
    for (const attributes of variants) {
      for (let repeat = 0; repeat < 4; repeat++) {
        if (repeat === 3) roles.push(`role-${variants.indexOf(attributes)}`); // changed in place, between two lines
        const r = record(Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined)), { timeMillis: Date.parse('2024-01-15T14:30:25.123Z') + repeat });
        const from = shared.pos;
        writeActivityJson(shared, r);
        expect(shared.buf.toString('utf8', from, shared.pos)).toBe(JSON.stringify(seedShape(r)));
        expect(line(r)).toBe(JSON.stringify(seedShape(r))); // a fresh sink of 16 bytes: the line moves as it grows
        shared.reserve(1);
        shared.buf[shared.pos++] = 10;
      }
    }
  });

  it('should be what toActivityJson returns as a string', () => {
    const r = record(HTTP, { body: 'narrative' });
    expect(toActivityJson(r)).toBe(line(r));
  });
});
