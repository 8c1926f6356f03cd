/**
 * The audit sink's entry point: `node collector/main.ts` (`npm run sink`).
 * Configuration comes from the environment; see collector/sink-config.ts
 * (ACTIVITY_SINK_*) and the SDK's audit settings (ACTIVITY_AUDIT_DATABASE_URL, ...).
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { ActivityError } from '../src/internal/errors.ts';
import { AuditSink } from './AuditSink.ts';
import { resolveSinkConfig, type SinkConfig } from './sink-config.ts';

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.INFO);

let config: SinkConfig;
try {
  config = resolveSinkConfig();
} catch (err) {
  // A bad setting: say which, and stop (the container restarts only if told to).
  console.error(err instanceof ActivityError ? err.message : err);
  process.exit(1);
}

const sink = new AuditSink({ config });
const url = await sink.listen();
const store = config.audit.databaseUrl ? `postgres ${redact(config.audit.databaseUrl)}` : `embedded (PGlite) in ${config.audit.dataDir}`;
console.log(`otel-activity audit sink on ${url}: POST /v1/logs (OTLP/HTTP, protobuf or JSON), GET /health; audit store: ${store}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Requests in flight finish (their rows commit or they answer 503), then the store closes.
    sink.close().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`otel-activity audit sink: shutdown: ${err.message}`);
        process.exit(1);
      },
    );
  });
}

function redact(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/[^@/]*@/, '//<credentials>@');
}
