import { context, type Context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/internal/severity.ts';
import { resetStats, stats } from '../../src/internal/stats.ts';
import { ActivityEmitter, MAX_QUEUED_RECORDS } from '../../src/records/ActivityEmitter.ts';
import { ActivityFields } from '../../src/records/ActivityFields.ts';

/** A processor that keeps what it is handed, and can be told to throw for one description. */
class Collecting implements LogRecordProcessor {
  readonly seen: { description: unknown; ctx: Context | undefined }[] = [];
  throwFor: string | undefined;
  onEmit(record: ReadableLogRecord & { fields?: ActivityFields }, ctx?: Context): void {
    if (record.fields?.description === this.throwFor) throw new Error('processor failed');
    this.seen.push({ description: record.fields?.description, ctx });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A processor that only looks at each record it is handed. */
function onEmitOnly(onEmit: (record: ReadableLogRecord & { fields?: ActivityFields }) => void): LogRecordProcessor {
  return { onEmit, forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
}

function parts(description: string) {
  const fields = new ActivityFields();
  fields.type = 'click';
  fields.description = description;
  return { eventName: 'activity.click', severity: SEVERITY.info, timeMillis: Date.now(), fields };
}

describe('ActivityEmitter', () => {
  const resource = resourceFromAttributes({ 'service.name': 'emitter-test' });
  let processor: Collecting;
  let emitter: ActivityEmitter;

  beforeEach(() => {
    resetStats();
    processor = new Collecting();
    emitter = new ActivityEmitter({ resource, processors: [processor], traceContext: true });
  });
  afterEach(() => resetStats());

  it('should hand records to the processors in emission order, together, once the current turn is done', async () => {
    const scope = emitter.scope('test');
    emitter.emit(scope, parts('first'));
    emitter.emit(scope, parts('second'));
    expect(processor.seen).toEqual([]);
    expect(stats.records).toBe(2);
    await nextTurn();
    expect(processor.seen.map((s) => s.description)).toEqual(['first', 'second']);
  });

  it('should hand queued records over at once on flush (for flushes, shutdown and process exit)', () => {
    emitter.emit(emitter.scope('test'), parts('now'));
    emitter.flush();
    expect(processor.seen.map((s) => s.description)).toEqual(['now']);
    emitter.flush();
    expect(processor.seen).toHaveLength(1);
  });

  it('should not hold more than MAX_QUEUED_RECORDS records for the turn to end (a synchronous loop of actions)', async () => {
    const scope = emitter.scope('test');
    const count = MAX_QUEUED_RECORDS * 2 + 10;
    for (let i = 0; i < count; i++) emitter.emit(scope, parts(`action ${i}`));
    expect(processor.seen).toHaveLength(MAX_QUEUED_RECORDS * 2);
    await nextTurn();
    expect(processor.seen.map((s) => s.description)).toEqual(Array.from({ length: count }, (_, i) => `action ${i}`));
  });

  it('should keep emission order when processors emit while a full queue is handed over', () => {
    const scope = emitter.scope('test');
    const echo = onEmitOnly((record) => {
      const description = String(record.fields?.description);
      if (!description.startsWith('echo')) emitter.emit(scope, parts(`echo ${description}`));
    });
    emitter = new ActivityEmitter({ resource, processors: [echo, processor], traceContext: false });
    for (let i = 0; i < MAX_QUEUED_RECORDS; i++) emitter.emit(scope, parts(`${i}`));
    emitter.flush();
    const first = Array.from({ length: MAX_QUEUED_RECORDS }, (_, i) => `${i}`);
    expect(processor.seen.map((s) => s.description)).toEqual([...first, ...first.map((d) => `echo ${d}`)]);
  });

  it('should drop and count only the record a processor fails on', async () => {
    processor.throwFor = 'bad';
    const scope = emitter.scope('test');
    for (const d of ['a', 'bad', 'c']) emitter.emit(scope, parts(d));
    await nextTurn();
    expect(processor.seen.map((s) => s.description)).toEqual(['a', 'c']);
    expect(stats.dropped).toBe(1);
  });

  it('should pass records a processor emits while being handed one on in the same flush', () => {
    const scope = emitter.scope('test');
    const echo = onEmitOnly((record) => {
      if (record.fields?.description === 'outer') emitter.emit(scope, parts('inner'));
    });
    emitter = new ActivityEmitter({ resource, processors: [echo, processor], traceContext: false });
    emitter.emit(scope, parts('outer'));
    emitter.flush();
    expect(processor.seen.map((s) => s.description)).toEqual(['outer', 'inner']);
  });

  it("should carry the span of the moment it was emitted, and the context it was given, not the dispatcher's", async () => {
    const tracer = new TracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('test');
    const span = tracer.startSpan('request');
    const given = trace.setSpan(ROOT_CONTEXT, span);
    const records: ReadableLogRecord[] = [];
    emitter = new ActivityEmitter({
      resource,
      processors: [onEmitOnly((r) => records.push(r)), processor],
      traceContext: true,
    });
    emitter.emit(emitter.scope('test'), parts('in span'), given);
    await nextTurn();
    span.end();
    expect(records[0]!.spanContext?.spanId).toBe(span.spanContext().spanId);
    expect(processor.seen[0]!.ctx).toBe(given);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});
