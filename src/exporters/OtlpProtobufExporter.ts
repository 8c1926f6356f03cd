import { createRequire } from 'node:module';
import type { ExportResult } from '@opentelemetry/core';
import type { ISerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { encodeLogsProtobuf } from '../otlp/encode-logs-protobuf.ts';
import { encodeTracesProtobuf } from '../otlp/encode-traces-protobuf.ts';

const requireFromHere = createRequire(import.meta.url);

interface Delegating {
  export(items: unknown[], resultCallback: (result: ExportResult) => void): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * OTLP/HTTP protobuf export of logs or spans: OpenTelemetry's OTLPLogExporter and
 * OTLPTraceExporter (`@opentelemetry/exporter-*-otlp-proto`) put together the same
 * way, from the same parts (the HTTP transport with retries, timeouts, compression,
 * headers and the OTEL_EXPORTER_OTLP_* settings, the response handling, the
 * self-metrics), with one part swapped: requests are encoded by
 * {@link encodeLogsProtobuf} and {@link encodeTracesProtobuf}, which write the same
 * bytes as OpenTelemetry's serializers at a fraction of the cost (those encode strings
 * a character at a time, and otel-activity's own records need no attribute map).
 */
export class OtlpProtobufExporter implements LogRecordExporter, SpanExporter {
  private readonly _exporter: Delegating;

  constructor(signal: 'logs' | 'traces', config: { url: string }) {
    // Loaded when OTLP export is configured, not at every start.
    const { OTLPExporterBase } = requireFromHere('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
    const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } = requireFromHere('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
    const t = requireFromHere('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
    const options = convertLegacyHttpOptions(config, signal === 'logs' ? 'LOGS' : 'TRACES', signal === 'logs' ? 'v1/logs' : 'v1/traces', { 'Content-Type': 'application/x-protobuf' });
    this._exporter =
      signal === 'logs'
        ? new OTLPExporterBase(
            createOtlpHttpExportDelegate(options, serializer(encodeLogsProtobuf, t.ProtobufLogsSerializer), 'otlp_http_log_exporter', t.LogsExporterMetricsHelper, undefined),
          )
        : new OTLPExporterBase(
            createOtlpHttpExportDelegate(options, serializer(encodeTracesProtobuf, t.ProtobufTraceSerializer), 'otlp_http_span_exporter', t.TraceExporterMetricsHelper, undefined),
          );
  }

  export(items: ReadableLogRecord[] | ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this._exporter.export(items, resultCallback);
  }

  forceFlush(): Promise<void> {
    return this._exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this._exporter.shutdown();
  }
}

/** Requests encoded by otel-activity, responses decoded by OpenTelemetry's serializer. */
function serializer<Request, Response>(encode: (items: Request) => Uint8Array, sdk: ISerializer<Request, Response>): ISerializer<Request, Response> {
  return { serializeRequest: encode, deserializeResponse: (bytes) => sdk.deserializeResponse(bytes) };
}
