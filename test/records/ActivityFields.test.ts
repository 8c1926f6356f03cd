import { describe, expect, it } from 'vitest';
import { ActivityFields } from '../../src/records/ActivityFields.ts';
import { ActivityLogRecord, fieldsOf } from '../../src/records/ActivityLogRecord.ts';
import { resourceFromAttributes } from '@opentelemetry/resources';
import * as semconv from '../../src/semconv.ts';

/** One value per contract attribute, each different, so a swapped field shows. */
function everyContractAttribute(): Record<string, string> {
  const names = Object.entries(semconv).filter(([k]) => k.startsWith('ATTR_')).map(([, v]) => v as string);
  // Body sizes are contract names no record sets; they travel as extra attributes like any other.
  return Object.fromEntries(names.map((name, i) => [name, `value-${i}`]));
}

describe('ActivityFields', () => {
  it('should turn every contract attribute into a field and back, losing and swapping nothing', () => {
    const attributes = { ...everyContractAttribute(), 'custom.key': 'kept', 'another.one': 3 };
    const fields = ActivityFields.fromAttributes(attributes);
    expect(fields.toAttributes()).toEqual(attributes);
  });

  it('should put only unknown names in extra', () => {
    const fields = ActivityFields.fromAttributes({ 'user.id': 'u1', 'activity.type': 'click', 'custom.key': 'v' });
    expect(fields.userId).toBe('u1');
    expect(fields.type).toBe('click');
    expect(fields.extra).toEqual({ 'custom.key': 'v' });
  });

  it('should give a clone whose changes do not reach the original', () => {
    const original = ActivityFields.fromAttributes({ 'activity.type': 'api_call', 'custom.key': 'v' });
    const copy = original.clone();
    copy.type = 'error';
    copy.extra!['custom.key'] = 'changed';
    expect(original.type).toBe('api_call');
    expect(original.extra).toEqual({ 'custom.key': 'v' });
  });
});

describe('ActivityLogRecord', () => {
  const record = () => {
    const fields = new ActivityFields();
    fields.type = 'api_call';
    fields.userId = 'alice';
    return new ActivityLogRecord(resourceFromAttributes({}), { name: 'test' }, 'activity.api_call', { number: 9, text: 'INFO' }, 1_705_329_025_123.5, fields, undefined);
  };

  it('should build its attribute map only when asked, then treat that map as the truth', () => {
    const r = record();
    expect(r.attributeMap).toBeUndefined();
    expect(fieldsOf(r)).toBe(r.fields);
    expect(r.attributes).toEqual({ 'activity.type': 'api_call', 'user.id': 'alice' });
    r.setAttribute('user.id', 'bob');
    expect(fieldsOf(r).userId).toBe('bob');
    expect(r.fields.userId).toBe('alice');
  });

  it('should keep the time to the microsecond and serialize as plain data', () => {
    const r = record();
    expect(r.hrTime).toEqual([1_705_329_025, 123_500_000]);
    expect(JSON.parse(JSON.stringify(r))).toMatchObject({ eventName: 'activity.api_call', severityText: 'INFO', attributes: { 'user.id': 'alice' } });
  });
});
