import type { Logger } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

/**
 * Real SDK log records for serializer round trips: runs `emit` against loggers of a
 * real LoggerProvider (with the given resource attributes) and returns what an
 * in-memory exporter received.
 */
export async function emitSdkLogRecords(
  resourceAttributes: Record<string, string | number | boolean>,
  emit: (getLogger: (name: string, version?: string) => Logger) => void,
): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  emit((name, version) => provider.getLogger(name, version));
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}
