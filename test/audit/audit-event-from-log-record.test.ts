import { describe, expect, it } from 'vitest';
import { auditEventFromLogRecord } from '../../src/audit/audit-event-from-log-record.ts';
import { emitSdkLogRecords } from '../support/emit-sdk-log-records.ts';

describe('auditEventFromLogRecord', () => {
  describe('with an SDK ReadableLogRecord', () => {
    it('should map every attribute of the contract', async () => {
      const [record] = await emitSdkLogRecords({}, (getLogger) =>
        getLogger('otel-activity').emit({
          eventName: 'activity.audit',
          timestamp: new Date('2026-03-04T05:06:07.089Z'),
          severityNumber: 13,
          body: 'alice updated invoice 42',
          attributes: {
            'audit.event_id': '01900000-0000-7000-8000-000000000001',
            'audit.action': 'UPDATE',
            'audit.resource.type': 'invoice',
            'audit.resource.id': '42',
            'audit.outcome': 'failure',
            'audit.details': { status: 'paid', lines: [1, 2] },
            'user.id': 'u1',
            'user.name': 'Alice',
            'tenant.id': 'org-9',
            'session.id': 's-1',
            'request.id': 'r-1',
            'client.address': '203.0.113.5',
            'user_agent.original': 'curl/8',
            'activity.category': 'data_management',
            'activity.description': 'Invoice updated',
            'activity.risk_score': 40,
            'activity.duration_ms': 12.5,
          },
        }),
      );
      expect(auditEventFromLogRecord(record!)).toEqual({
        eventId: '01900000-0000-7000-8000-000000000001',
        occurredAt: new Date('2026-03-04T05:06:07.089Z'),
        action: 'UPDATE',
        resourceType: 'invoice',
        resourceId: '42',
        outcome: 'failure',
        userId: 'u1',
        userName: 'Alice',
        tenantId: 'org-9',
        sessionId: 's-1',
        requestId: 'r-1',
        ipAddress: '203.0.113.5',
        userAgent: 'curl/8',
        category: 'data_management',
        level: 'warn',
        riskScore: 40,
        durationMs: 12.5,
        description: 'Invoice updated',
        traceId: null,
        spanId: null,
        details: { status: 'paid', lines: [1, 2] },
      });
    });

    it('should return undefined for a record without audit.action', async () => {
      const [record] = await emitSdkLogRecords({}, (getLogger) => getLogger('x').emit({ body: 'GET /', attributes: { 'activity.type': 'api_call' } }));
      expect(auditEventFromLogRecord(record!)).toBeUndefined();
    });
  });

  describe('with a decoded OTLP record', () => {
    it('should read KeyValue attributes, nanosecond time, hex ids and a failed activity', () => {
      const event = auditEventFromLogRecord({
        timeUnixNano: '1772600767089000000',
        severityNumber: 17,
        body: { stringValue: 'login failed for bob' },
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        attributes: [
          { key: 'audit.action', value: { stringValue: 'LOGIN' } },
          { key: 'audit.event_id', value: { stringValue: '01900000-0000-7000-8000-000000000002' } },
          { key: 'activity.success', value: { boolValue: false } },
          { key: 'activity.risk_score', value: { intValue: '75' } },
          { key: 'audit.details', value: { kvlistValue: { values: [{ key: 'attempts', value: { intValue: '5' } }] } } },
        ],
      });
      expect(event).toMatchObject({
        eventId: '01900000-0000-7000-8000-000000000002',
        occurredAt: new Date(1772600767089),
        action: 'LOGIN',
        outcome: 'failure',
        level: 'error',
        riskScore: 75,
        description: 'login failed for bob',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        details: { attempts: 5 },
      });
    });

    it('should treat a zero time (unset in OTLP) as unset, in every form, and fall back to the observed time', () => {
      for (const zero of [0, '0', 0n]) {
        const event = auditEventFromLogRecord({ timeUnixNano: zero, observedTimeUnixNano: 1772600767089000000n, attributes: { 'audit.action': 'X' } });
        expect(event!.occurredAt, String(typeof zero)).toEqual(new Date(1772600767089));
      }
    });

    it('should accept details as a JSON string or flattened keys, and drop all-zero ids', () => {
      expect(auditEventFromLogRecord({ attributes: { 'audit.action': 'X', 'audit.details': '{"a":1}' }, spanContext: { traceId: '0'.repeat(32), spanId: '0'.repeat(16) } }))
        .toMatchObject({ details: { a: 1 }, traceId: null, spanId: null });
      expect(auditEventFromLogRecord({ attributes: { 'audit.action': 'X', 'audit.details.a': 1, 'audit.details.b': 'two' } })).toMatchObject({ details: { a: 1, b: 'two' } });
    });

    it.each([
      [1, 'debug'],
      [9, 'info'],
      [13, 'warn'],
      [17, 'error'],
      [21, 'fatal'],
      [undefined, 'info'],
    ])('should map severity %s to level %s', (severityNumber, level) => {
      expect(auditEventFromLogRecord({ severityNumber, attributes: { 'audit.action': 'X' } })?.level).toBe(level);
    });
  });
});
