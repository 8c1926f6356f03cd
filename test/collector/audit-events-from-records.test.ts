import { describe, expect, it } from 'vitest';
import { auditEventsFromRecords } from '../../collector/audit-events-from-records.ts';
import type { DecodedLogRecord } from '../../src/otlp/DecodedLogRecord.ts';

function record(attributes: DecodedLogRecord['attributes'], overrides: Partial<DecodedLogRecord> = {}): DecodedLogRecord {
  return {
    resource: { 'service.name': 'billing' },
    scope: { name: 'billing', version: '', attributes: {} },
    timeUnixNano: 1_777_905_025_123_000_000n,
    observedTimeUnixNano: 1_777_905_025_200_000_000n,
    severityNumber: 9,
    severityText: 'INFO',
    body: "User u-7 updated invoice 'INV-7'",
    attributes,
    droppedAttributesCount: 0,
    flags: 0,
    ...overrides,
  };
}

describe('auditEventsFromRecords', () => {
  it('should map an audit record of the contract to an audit event', () => {
    const [event] = auditEventsFromRecords([
      record(
        { 'audit.event_id': '01a20213-7adf-74d8-a855-da955c269a09', 'audit.action': 'UPDATE', 'audit.resource.type': 'invoice', 'audit.resource.id': 'INV-7', 'user.id': 'u-7', 'tenant.id': 'org-1', 'audit.details': { status: 'paid' } },
        { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' },
      ),
    ]);

    expect(event).toMatchObject({
      eventId: '01a20213-7adf-74d8-a855-da955c269a09',
      occurredAt: new Date('2026-05-04T14:30:25.123Z'),
      action: 'UPDATE',
      resourceType: 'invoice',
      resourceId: 'INV-7',
      userId: 'u-7',
      tenantId: 'org-1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      details: { status: 'paid' },
      level: 'info',
    });
  });

  it('should take the observed time when the record has no time of its own', () => {
    const [event] = auditEventsFromRecords([record({ 'audit.action': 'LOGIN', 'audit.event_id': 'x' }, { timeUnixNano: 0n })]);

    expect(event!.occurredAt).toEqual(new Date('2026-05-04T14:30:25.200Z'));
  });

  it('should leave out records without audit.action and those already persisted by the app', () => {
    const events = auditEventsFromRecords([
      record({ 'activity.type': 'api_call' }),
      record({ 'audit.action': 'DELETE', 'audit.event_id': 'e1', 'audit.persisted': true }),
      record({ 'audit.action': 'CREATE', 'audit.event_id': 'e2' }),
    ]);

    expect(events.map((e) => e.action)).toEqual(['CREATE']);
  });

  it('should give a record without an event id the same id every time it is sent', () => {
    const first = auditEventsFromRecords([record({ 'audit.action': 'EXPORT', 'user.id': 'u-1' })]);
    const retry = auditEventsFromRecords([record({ 'user.id': 'u-1', 'audit.action': 'EXPORT' })]);
    const other = auditEventsFromRecords([record({ 'audit.action': 'EXPORT', 'user.id': 'u-2' })]);

    expect(first[0]!.eventId).toMatch(/^otlp-sha256:[0-9a-f]{64}$/);
    expect(retry[0]!.eventId).toBe(first[0]!.eventId);
    expect(other[0]!.eventId).not.toBe(first[0]!.eventId);
  });
});
