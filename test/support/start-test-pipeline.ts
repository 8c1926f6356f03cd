import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLogRecordExporter, type ReadableLogRecord, SimpleLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { type ActivityHandle, type ActivityOptions, startActivity } from '../../src/index.ts';
import { resetStats } from '../../src/internal/stats.ts';

export interface TestPipeline {
  handle: ActivityHandle;
  /** Records as the outputs saw them (masked, with narrative bodies). */
  records(): ReadableLogRecord[];
  /** Console lines, without the trailing newline. */
  consoleLines: string[];
  /** Path of the JSON lines file (when the file output is on). */
  filePath: string;
  /** Parsed lines of the JSON file (after a flush). */
  fileLines(): Record<string, any>[];
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a real pipeline for a test: console captured, JSON file in a temp dir,
 * audit off unless asked, plus an in-memory exporter that sees every record the way
 * the outputs do. No config file, a clean environment (only `env` given here).
 */
export function startTestPipeline(
  options: ActivityOptions = {},
  extras: { env?: Record<string, string>; processors?: LogRecordProcessor[] } = {},
): TestPipeline {
  resetStats();
  const dir = mkdtempSync(join(tmpdir(), 'otel-activity-test-'));
  const filePath = join(dir, 'activity.log');
  const exporter = new InMemoryLogRecordExporter();
  const consoleLines: string[] = [];
  const handle = startActivity(
    { file: filePath, audit: { enabled: false }, banner: false, ...options },
    {
      env: { OTEL_SERVICE_NAME: 'test-service', ...extras.env },
      cwd: dir,
      configFile: false,
      consoleWrite: (line) => consoleLines.push(line.replace(/\n$/, '')),
      processors: [new SimpleLogRecordProcessor({ exporter }), ...(extras.processors ?? [])],
    },
  );
  return {
    handle,
    records: () => exporter.getFinishedLogRecords(),
    consoleLines,
    filePath,
    fileLines: () => (existsSync(filePath) ? completeLines(readFileSync(filePath, 'utf8')).map((l) => JSON.parse(l)) : []),
    dir,
    stop: async () => {
      await handle.shutdown({ timeoutMillis: 1000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The lines of a file that is still being written, up to its last newline: a test that
 * polls may read while a batched write is half done, and the line it is writing is not
 * finished yet (any other broken line still fails JSON.parse).
 */
function completeLines(text: string): string[] {
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '');
}
