/**
 * The zero-code preload:
 *   node --import otel-activity/register app.mjs
 *   node --require otel-activity/register app.cjs
 * Starts otel-activity before the app, prints one line saying what is instrumented
 * and where records go, and flushes on SIGTERM, SIGINT and exit. A bad setting stops
 * the start with a message naming it; any other failure leaves the app running,
 * not instrumented, and says so.
 */
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { ActivityConfigError, ActivityError } from './internal/errors.ts';
import { type ActivityHandle, startActivity } from './setup/start-activity.ts';

const DIAG_LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

// Failures are reported through diag; without a logger they would vanish.
diag.setLogger(new DiagConsoleLogger(), {
  logLevel: DIAG_LEVELS[(process.env.OTEL_LOG_LEVEL ?? 'warn').toLowerCase()] ?? DiagLogLevel.WARN,
  suppressOverrideMessage: true,
});

let handle: ActivityHandle | undefined;
try {
  handle = startActivity();
  if (handle.config.banner) process.stderr.write(`${handle.summary}\n`);
} catch (error) {
  if (error instanceof ActivityConfigError || (error instanceof ActivityError && error.code === 'ACTIVITY_ERR_CONFIG_FILE')) {
    // Bad configuration fails the start, loudly, naming the setting.
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  process.stderr.write(`otel-activity: failed to start, the application is not instrumented: ${(error as Error)?.stack ?? error}\n`);
}

if (handle !== undefined) {
  const running = handle;
  // Observes (without handling) the error that is about to kill the process, so the
  // requests it interrupts are recorded with it.
  let crash: unknown;
  process.on('uncaughtExceptionMonitor', (error) => {
    crash = error;
  });
  process.once('exit', () => running.flushSync(crash));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Flush, then die of the same signal as without us (unless the app handles it).
      const timer = setTimeout(() => process.kill(process.pid, signal), 5000);
      running
        .shutdown()
        .catch(() => {})
        .finally(() => {
          clearTimeout(timer);
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
    });
  }
}
