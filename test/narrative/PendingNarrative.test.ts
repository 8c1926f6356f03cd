import { resourceFromAttributes } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';
import { writeActivityJson } from '../../src/exporters/write-activity-json.ts';
import { GrowableByteSink } from '../../src/internal/ByteSink.ts';
import { stats } from '../../src/internal/stats.ts';
import { createNarrativeFormatter, type NarrativeOptions } from '../../src/narrative/format-narrative.ts';
import { NarrativeLogRecordProcessor } from '../../src/processors/NarrativeLogRecordProcessor.ts';
import { ActivityFields } from '../../src/records/ActivityFields.ts';
import { ActivityLogRecord } from '../../src/records/ActivityLogRecord.ts';

const SENTENCE = "📝 User u1 submitted form 'Sign up' at 14:31:12 → ✅ Result: Created";

/** One of otel-activity's own records, through the narrative processor. */
function narrated(options: NarrativeOptions = {}): ActivityLogRecord {
  const fields = ActivityFields.fromAttributes({ 'activity.type': 'form_submission', 'user.id': 'u1', 'activity.description': 'Sign up', 'activity.result': 'Created', 'activity.success': true });
  const record = new ActivityLogRecord(resourceFromAttributes({}), { name: 't' }, 'activity.form_submission', { number: 9, text: 'INFO' }, Date.parse('2024-01-15T14:31:12.5Z'), fields, undefined);
  new NarrativeLogRecordProcessor(createNarrativeFormatter(options)).onEmit(record);
  return record;
}

function line(record: ActivityLogRecord): Record<string, unknown> {
  const sink = new GrowableByteSink(16);
  writeActivityJson(sink, record);
  return JSON.parse(sink.text()) as Record<string, unknown>;
}

describe('a pending narrative', () => {
  it('should be written into the JSON line from the fields, leaving the body pending', () => {
    const record = narrated();
    expect(line(record).narrative).toBe(SENTENCE);
    expect(record.pendingNarrative).toBeDefined();
  });

  it('should become the body string at the first read, and the JSON line then writes that string', () => {
    const record = narrated();
    expect(record.body).toBe(SENTENCE);
    expect(record.pendingNarrative).toBeUndefined();
    expect(line(record).narrative).toBe(SENTENCE);
  });

  it('should give way to a body set by a later processor', () => {
    const record = narrated();
    record.setBody('replaced');
    expect(record.body).toBe('replaced');
    expect(line(record).narrative).toBe('replaced');
  });

  it('should come from a custom template through the body string', () => {
    expect(line(narrated({ templates: { form_submission: (v) => `${v.actor} signed up` } })).narrative).toBe('User u1 signed up');
  });

  it('should fall back to the description, counted, when a custom template throws', () => {
    const before = stats.hookErrors;
    const record = narrated({ templates: { form_submission: () => { throw new Error('template bug'); } } });
    expect(line(record).narrative).toBe('Sign up');
    expect(stats.hookErrors).toBe(before + 1);
  });
});
