import { createRequire, syncBuiltinESMExports } from 'node:module';
import { context, diag, logs, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, setGlobalErrorHandler, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { AuditStore } from '../audit/AuditStore.ts';
import type { Env } from '../config/env-parsers.ts';
import type { ActivityOptions, ResolvedConfig } from '../config/options.ts';
import { resolveConfig } from '../config/resolve-config.ts';
import { ActivityContextManager } from '../context/ActivityContextManager.ts';
import { ConsoleLogRecordProcessor } from '../exporters/ConsoleLogRecordProcessor.ts';
import { JsonFileLogRecordProcessor } from '../exporters/JsonFileLogRecordProcessor.ts';
import { MaskingSpanExporter } from '../exporters/MaskingSpanExporter.ts';
import { OtlpProtobufExporter } from '../exporters/OtlpProtobufExporter.ts';
import { RotatingFileWriter } from '../exporters/RotatingFileWriter.ts';
import { HttpActivityInstrumentation } from '../instrumentation/HttpActivityInstrumentation.ts';
import { ActivityError, ErrorCode } from '../internal/errors.ts';
import { PooledIdGenerator } from '../internal/PooledIdGenerator.ts';
import { redactUrl } from '../internal/redact-url.ts';
import { reportError } from '../internal/report-error.ts';
import { SEVERITY } from '../internal/severity.ts';
import { type ActivityStats, snapshotStats } from '../internal/stats.ts';
import { createMasker, type Masker, NOOP_MASKER } from '../masking/create-masker.ts';
import { createNarrativeFormatter } from '../narrative/format-narrative.ts';
import { ContextEnrichmentLogRecordProcessor } from '../processors/ContextEnrichmentLogRecordProcessor.ts';
import { FanOutLogRecordProcessor, type FanOutTarget } from '../processors/FanOutLogRecordProcessor.ts';
import { MaskingLogRecordProcessor } from '../processors/MaskingLogRecordProcessor.ts';
import { NarrativeLogRecordProcessor } from '../processors/NarrativeLogRecordProcessor.ts';
import { ActivityEmitter } from '../records/ActivityEmitter.ts';
import { hasCurrentFields } from '../records/ActivityLogRecord.ts';
import { createTextCleaner } from '../records/create-text-cleaner.ts';
import { ATTR_AUDIT_ACTION, ATTR_AUDIT_PERSISTED, HTTP_SCOPE_NAME } from '../semconv.ts';
import { VERSION } from '../version.ts';
import { countingMeterProvider } from './counting-meter-provider.ts';
import { createAuditOutput } from './create-audit-output.ts';
import { getRuntime, setRuntime } from './runtime.ts';
import { samplerOf } from './sampler-of.ts';

const requireFromHere = createRequire(import.meta.url);

/** OpenTelemetry's HTTP instrumentation, for outgoing calls; created at the first start with tracing. */
let outgoingHttpTracing: import('@opentelemetry/instrumentation-http').HttpInstrumentation | undefined;

export interface StartActivityExtras {
  /** Environment to read (default process.env). */
  env?: Env;
  /** Directory for relative paths and the config file (default process.cwd()). */
  cwd?: string;
  /** `false` skips the config file; a path overrides `ACTIVITY_CONFIG`. */
  configFile?: string | false;
  /** More outputs, fed after masking and narrative (for example an InMemoryLogRecordExporter behind a SimpleLogRecordProcessor). */
  processors?: LogRecordProcessor[];
  /** Where console lines go (default process.stdout). */
  consoleWrite?: (line: string) => void;
}

/** A started pipeline. */
export interface ActivityHandle {
  readonly config: ResolvedConfig;
  /** Undefined when otel-activity is disabled (`ACTIVITY_ENABLED=false`). */
  readonly loggerProvider: LoggerProvider | undefined;
  readonly tracerProvider: TracerProvider | undefined;
  /** One line: what is instrumented and where records go (the preload prints it). */
  readonly summary: string;
  stats(): ActivityStats;
  /** Waits until every output has written or exported what it holds. */
  forceFlush(): Promise<void>;
  /**
   * Flushes, removes the instrumentation, closes files and the audit store. Waits at
   * most `timeoutMillis` (default 5000) for exporters: a dead collector must not hold
   * up a process that is shutting down.
   */
  shutdown(options?: { timeoutMillis?: number }): Promise<void>;
  /**
   * For process 'exit', where nothing async runs: records the requests still in
   * flight (as aborted, with `crash` as their error, when the process dies of one)
   * and writes pending file lines synchronously.
   */
  flushSync(crash?: unknown): void;
}

/**
 * Starts otel-activity in this process (the preload calls it; an app may call it
 * itself instead): resolves the configuration, builds the log pipeline
 * (context enrichment → masking → narrative → console | JSON file | OTLP | audit
 * store), instruments HTTP servers, and, when an OTLP traces endpoint is set,
 * traces them (a SERVER span per request; OpenTelemetry's HTTP instrumentation for
 * outgoing calls).
 *
 * @throws ActivityConfigError for a bad setting; ActivityError if already started.
 */
export function startActivity(options: ActivityOptions = {}, extras: StartActivityExtras = {}): ActivityHandle {
  if (getRuntime() !== undefined) {
    throw new ActivityError(ErrorCode.ALREADY_STARTED, 'otel-activity is already started in this process (by otel-activity/register?): configure it with ACTIVITY_* variables or otel-activity.config.mjs, or shut the running pipeline down first');
  }
  const config = resolveConfig({ options, env: extras.env, cwd: extras.cwd, configFile: extras.configFile });
  if (!config.enabled) return disabledHandle(config);

  // The SDK reports failures it cannot return (export timeouts) here: count and report them.
  setGlobalErrorHandler((error) => reportError('sdkErrors', 'OpenTelemetry SDK', error));
  const resource = buildResource(config, extras.env);
  const masker = config.mask ? createMasker({ keys: config.maskKeys, patterns: config.maskPatterns }) : NOOP_MASKER;
  const format = createNarrativeFormatter({ emojis: config.emojis, showUser: config.showUser, showTime: config.showTime, templates: config.narrativeTemplates });

  const targets: FanOutTarget[] = [];
  const destinations: string[] = [];
  if (config.console !== 'off') {
    targets.push({ name: 'console', processor: new ConsoleLogRecordProcessor({ mode: config.console, write: extras.consoleWrite }), minSeverity: SEVERITY[config.consoleLevel].number });
    destinations.push(`console (${config.console})`);
  }
  let fileWriter: RotatingFileWriter | undefined;
  if (config.file !== false) {
    fileWriter = new RotatingFileWriter({ path: config.file, maxBytes: config.fileMaxBytes, backups: config.fileBackups });
    targets.push({ name: 'file', processor: new JsonFileLogRecordProcessor(fileWriter), minSeverity: SEVERITY[config.fileLevel].number });
    destinations.push(`file ${config.file}`);
  }
  if (config.otlp.logs) {
    const exporter = createOtlpExporter<LogRecordExporter>(config.otlp.logsProtocol, 'logs', config.otlp.logsEndpoint!);
    targets.push({ name: 'otlp', processor: new BatchLogRecordProcessor({ exporter, ...config.otlp.logsBatch, selfObsMeterProvider: countingMeterProvider('otlp logs') }) });
    destinations.push(`OTLP logs ${config.otlp.logsEndpoint} (${config.otlp.logsProtocol})`);
  }
  const audit = config.audit.enabled ? createAuditOutput(config.audit, { pglite: options.audit?.pglite, pool: options.audit?.pool }) : undefined;
  if (audit !== undefined) {
    targets.push({
      name: 'audit',
      processor: audit.processor,
      accepts: isAuditRecordToStore,
    });
    destinations.push(`audit ${config.audit.databaseUrl === undefined ? `embedded ${config.audit.dataDir}` : redactUrl(config.audit.databaseUrl)}`);
  }
  for (const [i, processor] of (extras.processors ?? []).entries()) targets.push({ name: `extra processor ${i}`, processor });

  // One pipeline, two entrances: the LoggerProvider for logs of other code (OpenTelemetry
  // Logs API), the emitter for otel-activity's own records (built valid, no re-validation).
  const narrative = new NarrativeLogRecordProcessor(format);
  const fanOut = new FanOutLogRecordProcessor(targets);
  const processors = [new ContextEnrichmentLogRecordProcessor(), new MaskingLogRecordProcessor(masker), narrative, fanOut];
  const loggerProvider = new LoggerProvider({ resource, logRecordLimits: { attributeValueLengthLimit: config.maxValueLength }, processors });
  logs.setGlobalLoggerProvider(loggerProvider);
  // Own records carry their identity and are masked as they are built, so enrichment and
  // masking would only pass them on: the emitter skips those two calls per record.
  const emitter = new ActivityEmitter({ resource, processors: [narrative, fanOut], traceContext: config.otlp.traces });
  const clean = createTextCleaner(masker, config.maxValueLength);

  let tracerProvider: TracerProvider | undefined;
  let httpTracing: { disable(): void } | undefined;
  if (config.otlp.traces) {
    ({ tracerProvider, httpTracing } = startTracing(config, resource, masker));
    destinations.push(`OTLP traces ${config.otlp.tracesEndpoint} (${config.otlp.tracesSampler})`);
  }
  const httpActivity = new HttpActivityInstrumentation({
    settings: config,
    emitter,
    scope: emitter.scope(HTTP_SCOPE_NAME, VERSION),
    clean,
    tracer: tracerProvider?.getTracer(HTTP_SCOPE_NAME, VERSION),
  });
  httpActivity.enable();

  const forceFlush = async (): Promise<void> => {
    emitter.flush();
    await Promise.all([loggerProvider.forceFlush(), tracerProvider?.forceFlush()]);
  };
  setRuntime({
    config,
    loggerProvider,
    emitter,
    masker,
    clean,
    forceFlush,
    auditStore: (): Promise<AuditStore> =>
      audit?.store() ?? Promise.reject(new ActivityError(ErrorCode.AUDIT_UNAVAILABLE, 'otel-activity: the audit store is off (ACTIVITY_AUDIT=off)')),
  });

  const summary = `otel-activity ${VERSION}: instrumented node:http/https servers${config.otlp.traces ? ' with tracing' : ''} for service "${config.serviceName}"; records go to ${destinations.length > 0 ? destinations.join(', ') : 'nowhere (every output is off)'}${config.configFile ? `; config file ${config.configFile}` : ''}`;

  let stopped: Promise<void> | undefined;
  return {
    config,
    loggerProvider,
    tracerProvider,
    summary,
    stats: snapshotStats,
    forceFlush,
    flushSync: (crash?: unknown) => {
      httpActivity.recordInFlight(crash);
      emitter.flush();
      fileWriter?.flushSync();
    },
    shutdown: (shutdownOptions = {}) =>
      (stopped ??= (async () => {
        httpActivity.disable();
        httpTracing?.disable();
        setRuntime(undefined);
        emitter.flush();
        const flushed = Promise.allSettled([loggerProvider.shutdown(), tracerProvider?.shutdown()]);
        await withTimeout(flushed, shutdownOptions.timeoutMillis ?? 5000);
        await fileWriter?.close();
        await audit?.exporter.shutdown();
        logs.disable();
        if (tracerProvider !== undefined) {
          trace.disable();
          context.disable();
          propagation.disable();
        }
      })()),
  };
}

function startTracing(config: ResolvedConfig, resource: Resource, masker: Masker): { tracerProvider: TracerProvider; httpTracing: { disable(): void } } {
  const otlpExporter = createOtlpExporter<SpanExporter>(config.otlp.tracesProtocol, 'traces', config.otlp.tracesEndpoint!);
  const exporter = config.mask ? new MaskingSpanExporter(otlpExporter, masker) : otlpExporter;
  const tracerProvider = new TracerProvider({
    resource,
    sampler: samplerOf(config.otlp.tracesSampler, config.otlp.tracesSamplerRatio),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [new BatchSpanProcessor({ exporter, ...config.otlp.spansBatch })],
  });
  context.setGlobalContextManager(new ActivityContextManager());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(tracerProvider);

  // Incoming requests get their SERVER span from otel-activity's own request wrapper
  // (HttpActivityInstrumentation); OpenTelemetry's instrumentation traces outgoing calls.
  // One instance per process: OpenTelemetry's require hook is a process-wide singleton
  // that offers a module to the first instance only, so a restart re-enables this one.
  if (outgoingHttpTracing === undefined) {
    const { HttpInstrumentation } = requireFromHere('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    outgoingHttpTracing = new HttpInstrumentation({ enabled: false, disableIncomingRequestInstrumentation: true });
  }
  const httpTracing = outgoingHttpTracing;
  httpTracing.setTracerProvider(tracerProvider);
  httpTracing.enable();
  // The instrumentation patches on require; built-ins imported by ESM apps never pass
  // through require, so load them here, then refresh the ESM named exports.
  requireFromHere('node:http');
  requireFromHere('node:https');
  syncBuiltinESMExports();
  return { tracerProvider, httpTracing };
}

function createOtlpExporter<T>(protocol: 'http/protobuf' | 'http/json', signal: 'logs' | 'traces', url: string): T {
  // Protobuf: OpenTelemetry's exporter parts with otel-activity's encoders (OtlpProtobufExporter).
  if (protocol === 'http/protobuf') return new OtlpProtobufExporter(signal, { url }) as T;
  const mod = requireFromHere(`@opentelemetry/exporter-${signal === 'logs' ? 'logs' : 'trace'}-otlp-http`) as Record<string, new (config: { url: string }) => T>;
  const Exporter = signal === 'logs' ? mod.OTLPLogExporter! : mod.OTLPTraceExporter!;
  return new Exporter({ url });
}

function buildResource(config: ResolvedConfig, env: Env | undefined): Resource {
  // envDetector reads process.env; a test's own env map is applied by hand.
  const resource = defaultResource().merge(env === undefined ? detectResources({ detectors: [envDetector] }) : emptyIfUnset(env));
  return resource.merge(resourceFromAttributes({ 'service.name': config.serviceName }));
}

function emptyIfUnset(env: Env): Resource {
  const raw = env.OTEL_RESOURCE_ATTRIBUTES;
  if (raw === undefined || raw.trim() === '') return resourceFromAttributes({});
  const attributes: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) attributes[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return resourceFromAttributes(attributes);
}

/** An audit record (`audit.action`) not yet written in the caller's own transaction (`audit.persisted`). */
function isAuditRecordToStore(record: ReadableLogRecord): boolean {
  if (hasCurrentFields(record)) return record.fields.auditAction !== undefined && record.fields.auditPersisted !== true;
  return record.attributes[ATTR_AUDIT_ACTION] !== undefined && record.attributes[ATTR_AUDIT_PERSISTED] !== true;
}

/** Resolves when `promise` settles or after `millis`, whichever comes first. */
async function withTimeout(promise: Promise<unknown>, millis: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      diag.warn(`otel-activity: shutdown did not finish within ${millis} ms; records still queued for exporters are dropped`);
      resolve();
    }, millis);
    timer.unref();
  });
  await Promise.race([promise.then(() => undefined), timeout]);
  clearTimeout(timer);
}


function disabledHandle(config: ResolvedConfig): ActivityHandle {
  diag.info('otel-activity: disabled (ACTIVITY_ENABLED=false or OTEL_SDK_DISABLED=true)');
  return {
    config,
    loggerProvider: undefined,
    tracerProvider: undefined,
    summary: 'otel-activity: disabled (ACTIVITY_ENABLED=false or OTEL_SDK_DISABLED=true); nothing is instrumented',
    stats: snapshotStats,
    forceFlush: () => Promise.resolve(),
    flushSync: () => {},
    shutdown: () => Promise.resolve(),
  };
}
