import { createRequire } from 'node:module';
import type { ExportResult } from '@opentelemetry/core';
import type { IExportLogsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsProtobuf } from '../otlp/encode-logs-protobuf.ts';

const requireFromHere = createRequire(import.meta.url);

/**
 * OTLP/HTTP protobuf log export: OpenTelemetry's OTLPLogExporter (`@opentelemetry/
 * exporter-logs-otlp-proto`) put together the same way, from the same parts (its HTTP
 * transport with retries, timeouts, compression, headers and the OTEL_EXPORTER_OTLP_*
 * settings, its response handling, its self-metrics), with one part swapped: the
 * request is encoded by {@link encodeLogsProtobuf}, which writes the same bytes at a
 * fraction of the cost (the SDK's writer encodes strings a character at a time, and
 * otel-activity's records need no attribute map).
 */
export class OtlpProtobufLogExporter implements LogRecordExporter {
  private readonly _exporter: LogRecordExporter;

  constructor(config: { url: string }) {
    // Loaded when OTLP export is configured, not at every start.
    const { OTLPExporterBase } = requireFromHere('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
    const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } = requireFromHere('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
    const { LogsExporterMetricsHelper, ProtobufLogsSerializer } = requireFromHere('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
    const serializer: ISerializer<ReadableLogRecord[], IExportLogsServiceResponse> = {
      serializeRequest: encodeLogsProtobuf,
      deserializeResponse: (bytes) => ProtobufLogsSerializer.deserializeResponse(bytes),
    };
    this._exporter = new OTLPExporterBase(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(config, 'LOGS', 'v1/logs', { 'Content-Type': 'application/x-protobuf' }),
        serializer,
        'otlp_http_log_exporter',
        LogsExporterMetricsHelper,
        undefined,
      ),
    );
  }

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this._exporter.export(records, resultCallback);
  }

  forceFlush(): Promise<void> {
    return this._exporter.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this._exporter.shutdown();
  }
}
