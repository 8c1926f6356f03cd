// Records per second of one logger API into a JSON lines file, with masking:
//   node bench/record-throughput.mjs otel-activity|pino <count> <file>
// otel-activity: activity.getRecorder().recordAction with masking on (narrative, JSON file);
// pino: logger.info with `redact` for the same secret fields, to an async file destination.
// Each logger writes <count> records twice and both passes are timed: the first pass
// from the process's first record (it includes the JIT's warm-up, which is longer for
// otel-activity), the second in the steady state a long-running service logs in.
const [which, countArg = '200000', file] = process.argv.slice(2);
const count = Number(countArg);
// Both loops yield to the event loop every 1000 records, as a server between requests
// would, so that both loggers' async file writes can drain.
const yieldEvery = 1000;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const data = (i) => ({ orderId: `ord-${i}`, amount: 42.5, password: 'mypassword123', card: { number: '4111111111111111', holder: 'A. User' } });

/** Records/s of `log(i)` for records from..from+count, with what is buffered flushed at the end. */
async function timed(from, log, flush) {
  const started = performance.now();
  for (let i = from; i < from + count; i++) {
    log(i);
    if (i % yieldEvery === 0) await tick();
  }
  await flush();
  return count / ((performance.now() - started) / 1000);
}

if (which === 'otel-activity') {
  const { activity, startActivity } = await import('otel-activity');
  const handle = startActivity({ console: 'off', file, audit: { enabled: false }, banner: false }, { configFile: false });
  const recorder = activity.getRecorder('bench');
  const log = (i) => recorder.recordAction({ type: 'form_submission', description: `Order placed: ord-${i}`, data: data(i), result: 'Order placed', success: true });
  const flush = () => handle.forceFlush();
  const first = await timed(0, log, flush);
  const next = await timed(count, log, flush);
  await handle.shutdown();
  console.log(JSON.stringify({ recordsPerSec: { first, next }, stats: activity.stats() }));
} else {
  const { default: pino } = await import('pino');
  // BENCH_PINO_SYNC=1: pino.destination's default (synchronous writes); else async, buffered.
  const sync = process.env.BENCH_PINO_SYNC === '1';
  const destination = sync ? pino.destination({ dest: file }) : pino.destination({ dest: file, minLength: 4096, sync: false });
  const logger = pino({ redact: ['data.password', 'data.card.number'] }, destination);
  const log = (i) => logger.info({ event: 'form_submission', description: `Order placed: ord-${i}`, data: data(i), result: 'Order placed', success: true }, 'Order placed');
  const flush = () => (sync ? destination.flushSync() : new Promise((resolve) => destination.flush(resolve)));
  const first = await timed(0, log, flush);
  const next = await timed(count, log, flush);
  console.log(JSON.stringify({ recordsPerSec: { first, next } }));
}
