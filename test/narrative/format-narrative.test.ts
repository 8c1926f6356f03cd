import { SeverityNumber } from '@opentelemetry/api';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { ConsoleLogRecordProcessor } from '../../src/exporters/ConsoleLogRecordProcessor.ts';
import { createNarrativeFormatter, type NarrativeOptions } from '../../src/narrative/format-narrative.ts';
import { NarrativeLogRecordProcessor } from '../../src/processors/NarrativeLogRecordProcessor.ts';

const at = (hms: string) => Date.parse(`2024-01-15T${hms}.123Z`);

/** The seed's four example inputs. */
const SEED = [
  {
    level: 'INFO',
    time: at('14:30:25'),
    attributes: { 'activity.type': 'navigation', 'user.id': 'user123', 'activity.description': '/user-queries', 'activity.result': 'Page loaded successfully', 'activity.success': true },
    line: "[INFO] 📍 User user123 navigated to '/user-queries' at 14:30:25 → ✅ Result: Page loaded successfully",
  },
  {
    level: 'INFO',
    time: at('14:30:25'),
    attributes: { 'activity.type': 'api_call', 'user.id': 'user123', 'activity.description': 'GET /user-queries', 'activity.result': 'HTTP 200 SUCCESS', 'activity.success': true, 'activity.duration_ms': 45.32 },
    line: "[INFO] 🔌 User user123 made API call to 'GET /user-queries' at 14:30:25 → ✅ Result: HTTP 200 SUCCESS (took 45.32ms)",
  },
  {
    level: 'INFO',
    time: at('14:31:12'),
    attributes: { 'activity.type': 'form_submission', 'client.address': '192.168.1.100', 'activity.description': 'Create User Query', 'activity.result': 'Query created successfully', 'activity.success': true },
    line: "[INFO] 📝 Anonymous user from 192.168.1.100 submitted form 'Create User Query' at 14:31:12 → ✅ Result: Query created successfully",
  },
  {
    level: 'ERROR',
    time: at('14:32:45'),
    attributes: { 'activity.type': 'error', 'user.id': 'user123', 'activity.description': 'ValidationError: Query cannot be empty', 'activity.result': 'Error occurred', 'activity.success': false },
    line: "[ERROR] ❌ User user123 encountered error: 'ValidationError: Query cannot be empty' at 14:32:45 → ❌ Result: Error occurred",
  },
];

/** Runs records through the narrative processor and the console output, as the pipeline does. */
function consoleLinesFor(options: NarrativeOptions): string[] {
  const lines: string[] = [];
  const provider = new LoggerProvider({
    processors: [new NarrativeLogRecordProcessor(createNarrativeFormatter(options)), new ConsoleLogRecordProcessor({ write: (l) => lines.push(l.trimEnd()) })],
  });
  const logger = provider.getLogger('test');
  for (const s of SEED) {
    logger.emit({ severityText: s.level, severityNumber: s.level === 'ERROR' ? SeverityNumber.ERROR : SeverityNumber.INFO, timestamp: s.time, attributes: s.attributes });
  }
  return lines;
}

describe('createNarrativeFormatter', () => {
  it('should print the seed system\'s four example lines exactly', () => {
    expect(consoleLinesFor({})).toEqual(SEED.map((s) => s.line));
  });

  it('should leave out emojis when ACTIVITY_EMOJIS is off', () => {
    expect(consoleLinesFor({ emojis: false })[1]).toBe("[INFO] User user123 made API call to 'GET /user-queries' at 14:30:25 → Result: HTTP 200 SUCCESS (took 45.32ms)");
  });

  it('should hide who acted when ACTIVITY_SHOW_USER is off', () => {
    const lines = consoleLinesFor({ showUser: false });
    expect(lines[0]).toBe("[INFO] 📍 User navigated to '/user-queries' at 14:30:25 → ✅ Result: Page loaded successfully");
    expect(lines[2]).toBe("[INFO] 📝 Anonymous user submitted form 'Create User Query' at 14:31:12 → ✅ Result: Query created successfully");
  });

  it('should leave out the time of day when ACTIVITY_SHOW_TIME is off', () => {
    expect(consoleLinesFor({ showTime: false })[3]).toBe("[ERROR] ❌ User user123 encountered error: 'ValidationError: Query cannot be empty' → ❌ Result: Error occurred");
  });

  it('should use a template from the config file for its type, and the default for the others', () => {
    const lines = consoleLinesFor({ templates: { api_call: (v) => `${v.actor} called ${v.description} [${v.durationMs}ms]` } });
    expect(lines[1]).toBe('[INFO] User user123 called GET /user-queries [45.32ms]');
    expect(lines[0]).toBe(SEED[0]!.line);
  });

  it('should phrase custom types generically', () => {
    const format = createNarrativeFormatter({ showTime: false });
    expect(format({ 'activity.type': 'report_export', 'user.id': 'u1', 'activity.description': 'Q3 revenue' }, 'INFO', 0)).toBe("🔹 User u1 performed report_export: 'Q3 revenue'");
  });
});
