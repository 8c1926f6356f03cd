import type { DecodedAttributes, DecodedLogRecord, DecodedValue } from '../../src/otlp/DecodedLogRecord.ts';

/**
 * What Loki 3.x stores for one OTLP log record received on its native `/otlp`
 * endpoint, with the default `limits_config.otlp_config`.
 *
 * Sources (read at tag v3.7.6 of grafana/loki, the version docker-compose.yml pins):
 * - docs: https://grafana.com/docs/loki/latest/send-data/otel/#format-considerations
 * - pkg/loghttp/push/otlp.go (`otlpToLokiPushRequest`, `otlpLogToPushEntry`, `attributeToLabels`)
 * - pkg/loghttp/push/otlp_config.go (`DefaultOTLPResourceAttributesAsIndexLabels`)
 * - vendor/github.com/prometheus/otlptranslator (`LabelNamer.Build`: the name rule)
 * - pkg/distributor/field_detection.go (`detected_level` from the severity number)
 *
 * The rules, in short:
 * - a fixed list of resource attributes (service.name, deployment.environment.name, k8s.*, ...)
 *   become index labels; every other resource attribute, every scope attribute and every
 *   log attribute becomes structured metadata. Nothing of the log record is indexed.
 * - names: every character outside [A-Za-z0-9] becomes `_`, runs of them collapse to one
 *   (`user.id` -> `user_id`, `activity.duration_ms` -> `activity_duration_ms`), a leading
 *   digit gets a `key_` prefix.
 * - map values are flattened, the key joined to its parent with `_`
 *   (`activity.data` = {invoiceId} -> `activity_data_invoiceId`); other values become
 *   strings: booleans `true`/`false`, numbers as JavaScript prints them, arrays as JSON,
 *   bytes as base64.
 * - the line is the body as a string (a map body becomes JSON).
 * - severity_number, severity_text, trace_id, span_id, flags, observed_timestamp,
 *   scope_name and scope_version are added as structured metadata; `detected_level`
 *   (lowercase) is derived from the severity number.
 * - the LogRecord's eventName is NOT stored: query `activity_type`, not the event name.
 */
export interface LokiEntry {
  /** Index labels: the stream selector `{...}` can only match these. */
  streamLabels: Record<string, string>;
  /** Structured metadata: matched after a pipe, `| user_id="u1"`. */
  structuredMetadata: Record<string, string>;
  line: string;
}

/** Resource attributes Loki indexes by default (`-distributor.otlp.default_resource_attributes_as_index_labels`). */
export const LOKI_DEFAULT_INDEX_LABEL_ATTRIBUTES: readonly string[] = [
  'service.name',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'container.name',
  'k8s.replicaset.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
];

const LEVELS: readonly [number, string][] = [
  [4, 'trace'],
  [8, 'debug'],
  [12, 'info'],
  [16, 'warn'],
  [20, 'error'],
  [24, 'fatal'],
];

/** Translates one decoded OTLP log record as Loki's OTLP ingestion does. */
export function translateForLoki(record: DecodedLogRecord): LokiEntry {
  const streamLabels: Record<string, string> = {};
  const structuredMetadata: Record<string, string> = {};

  for (const [key, value] of Object.entries(record.resource)) {
    const target = LOKI_DEFAULT_INDEX_LABEL_ATTRIBUTES.includes(key) ? streamLabels : structuredMetadata;
    flatten(key, value, '', target);
  }
  if (!streamLabels.service_name) streamLabels.service_name = 'unknown_service';

  flattenAll(record.attributes, structuredMetadata);
  if (record.timeUnixNano !== 0n && record.observedTimeUnixNano !== 0n) {
    structuredMetadata.observed_timestamp = record.observedTimeUnixNano.toString();
  }
  if (record.severityNumber !== 0) structuredMetadata.severity_number = String(record.severityNumber);
  if (record.severityText !== '') structuredMetadata.severity_text = record.severityText;
  if (record.droppedAttributesCount !== 0) structuredMetadata.dropped_attributes_count = String(record.droppedAttributesCount);
  if (record.flags !== 0) structuredMetadata.flags = String(record.flags);
  if (record.traceId) structuredMetadata.trace_id = record.traceId;
  if (record.spanId) structuredMetadata.span_id = record.spanId;

  flattenAll(record.scope.attributes, structuredMetadata);
  if (record.scope.name) structuredMetadata.scope_name = record.scope.name;
  if (record.scope.version) structuredMetadata.scope_version = record.scope.version;

  const level = detectedLevel(record.severityNumber);
  if (level) structuredMetadata.detected_level = level;

  return { streamLabels, structuredMetadata, line: asString(record.body) };
}

/** Loki's (Prometheus') label name rule for an OTLP attribute name. */
export function lokiLabelName(name: string): string {
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__');
  const inner = reserved ? name.slice(2, -2) : name;
  let out = inner.replace(/[^A-Za-z0-9]+/g, '_');
  if (reserved) out = `__${out}__`;
  return /^[0-9]/.test(out) ? `key_${out}` : out;
}

function flattenAll(attributes: DecodedAttributes, target: Record<string, string>): void {
  for (const [key, value] of Object.entries(attributes)) flatten(key, value, '', target);
}

function flatten(key: string, value: DecodedValue, prefix: string, target: Record<string, string>): void {
  const name = lokiLabelName(prefix === '' ? key : `${prefix}_${key}`);
  if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) flatten(k, v, name, target);
  } else {
    target[name] = asString(value);
  }
}

function isMap(value: DecodedValue): value is { [key: string]: DecodedValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** pcommon.Value.AsString. */
function asString(value: DecodedValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return JSON.stringify(toRaw(value));
}

function toRaw(value: DecodedValue): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toRaw);
  if (isMap(value)) {
    // Go's encoding/json writes map keys sorted.
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, toRaw(value[k]!)]));
  }
  return value;
}

function detectedLevel(severityNumber: number): string | undefined {
  if (severityNumber === 0) return undefined;
  return LEVELS.find(([max]) => severityNumber <= max)?.[1] ?? 'unknown';
}
