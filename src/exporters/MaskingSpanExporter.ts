import type { AnyValue, Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { reportError } from '../internal/report-error.ts';
import type { Masker } from '../masking/create-masker.ts';

/**
 * Masks spans on their way out: spans of other instrumentation (outgoing calls, the
 * app's own) carry URLs, headers and exception messages that the log pipeline's
 * masking never sees. Wraps the real exporter; a span with nothing to mask is passed
 * through untouched. otel-activity's own SERVER spans are masked too: their strings
 * were cleaned as otel-activity set them, but the app reaches the span as the active
 * one and may add attributes, events, a status message or a name of its own.
 */
export class MaskingSpanExporter implements SpanExporter {
  private readonly _exporter: SpanExporter;
  private readonly _masker: Masker;

  constructor(exporter: SpanExporter, masker: Masker) {
    this._exporter = exporter;
    this._masker = masker;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let masked: ReadableSpan[];
    try {
      masked = spans.map((span) => this._maskSpan(span));
    } catch (error) {
      // Never send unmasked: fail the batch instead.
      reportError('dropped', 'span masking', error, spans.length);
      resultCallback({ code: 1, error: error as Error });
      return;
    }
    this._exporter.export(masked, resultCallback);
  }

  shutdown(): Promise<void> {
    return this._exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this._exporter.forceFlush?.() ?? Promise.resolve();
  }

  private _maskSpan(span: ReadableSpan): ReadableSpan {
    const name = this._masker.maskText(span.name);
    const attributes = this._maskAttributes(span.attributes);
    let eventsChanged = false;
    const events = span.events.map((event) => {
      const eventAttributes = event.attributes === undefined ? undefined : this._maskAttributes(event.attributes);
      if (eventAttributes === event.attributes) return event;
      eventsChanged = true;
      return { ...event, attributes: eventAttributes };
    });
    const statusMessage = span.status.message === undefined ? undefined : this._masker.maskText(span.status.message);
    if (name === span.name && attributes === span.attributes && !eventsChanged && statusMessage === span.status.message) return span;
    return {
      name,
      kind: span.kind,
      spanContext: () => span.spanContext(),
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status: statusMessage === undefined ? span.status : { ...span.status, message: statusMessage },
      attributes,
      links: span.links,
      events,
      duration: span.duration,
      ended: span.ended,
      resource: span.resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }

  private _maskAttributes(attributes: Attributes): Attributes {
    let out: Attributes | undefined;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key] as AnyValue;
      const masked = this._masker.maskAny(value, key);
      if (masked !== value) (out ??= { ...attributes })[key] = masked as Attributes[string];
    }
    return out ?? attributes;
  }
}
