import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { GrowableByteSink } from '../internal/ByteSink.ts';
import { writeActivityJson } from './write-activity-json.ts';

const scratch = new GrowableByteSink(4096);

/**
 * One record as the JSON line of the file output (without the newline), as a string:
 * see {@link writeActivityJson} for the shape. The file output writes the same bytes
 * without making this string.
 */
export function toActivityJson(record: ReadableLogRecord): string {
  scratch.pos = 0;
  writeActivityJson(scratch, record);
  return scratch.text();
}
