import { context, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { encodeTracesProtobuf } from '../../src/otlp/encode-traces-protobuf.ts';

/** Spans as the SDK makes them: every field the encoder has to write, in several shapes. */
function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'ü-7' }),
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const http = provider.getTracer('otel-activity/http', '0.1.0');
  const app = provider.getTracer('app');

  const remoteParent = trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=abc,other=1'),
  });
  const server = http.startSpan('GET /items/:id', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/items/42', 'server.port': 8080, 'user_agent.original': 'x'.repeat(300) } }, remoteParent);
  server.setAttribute('http.response.status_code', 500);
  server.setAttribute('ratio', 0.75);
  server.addEvent('exception', { 'exception.type': 'TypeError', 'exception.message': 'bad → thing' });
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
  server.end();

  const child = app.startSpan('query', { kind: SpanKind.CLIENT, links: [{ context: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 0 }, attributes: { why: 'batch' } }] }, trace.setSpan(context.active(), server));
  child.setAttribute('db.rows', -3);
  child.setAttribute('tags', ['a', 'b']);
  child.end();

  app.startSpan('internal').end();
  return exporter.getFinishedSpans();
}

describe('encodeTracesProtobuf', () => {
  it("should write the bytes OpenTelemetry's ProtobufTraceSerializer writes", () => {
    const spans = sdkSpans();
    expect(spans).toHaveLength(3);
    const expected = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(Buffer.from(encodeTracesProtobuf(spans)).equals(Buffer.from(expected))).toBe(true);
  });

  it('should stay exact for a large batch', () => {
    const spans = Array.from({ length: 200 }, () => sdkSpans()).flat();
    const expected = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(Buffer.from(encodeTracesProtobuf(spans)).equals(Buffer.from(expected))).toBe(true);
  });
});
