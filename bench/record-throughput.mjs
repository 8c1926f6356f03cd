// Records per second of one logger API into a JSON lines file, with masking:
//   node bench/record-throughput.mjs otel-activity|pino <count> <file>
// otel-activity: activity.getRecorder().recordAction with masking on (narrative, JSON file);
// pino: logger.info with `redact` for the same secret fields, to an async file destination.
const [which, countArg = '200000', file] = process.argv.slice(2);
const count = Number(countArg);
// Both loops yield to the event loop every 1000 records, as a server between requests
// would, so that both loggers' async file writes can drain.
const yieldEvery = 1000;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const data = (i) => ({ orderId: `ord-${i}`, amount: 42.5, password: 'mypassword123', card: { number: '4111111111111111', holder: 'A. User' } });

if (which === 'otel-activity') {
  const { activity, startActivity } = await import('otel-activity');
  const handle = startActivity({ console: 'off', file, audit: { enabled: false }, banner: false }, { configFile: false });
  const recorder = activity.getRecorder('bench');
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    recorder.recordAction({ type: 'form_submission', description: `Order placed: ord-${i}`, data: data(i), result: 'Order placed', success: true });
    if (i % yieldEvery === 0) await tick();
  }
  await handle.forceFlush();
  const seconds = (performance.now() - started) / 1000;
  await handle.shutdown();
  console.log(JSON.stringify({ recordsPerSec: count / seconds, stats: activity.stats() }));
} else {
  const { default: pino } = await import('pino');
  // BENCH_PINO_SYNC=1: pino.destination's default (synchronous writes); else async, buffered.
  const destination = process.env.BENCH_PINO_SYNC === '1' ? pino.destination({ dest: file }) : pino.destination({ dest: file, minLength: 4096, sync: false });
  const logger = pino({ redact: ['data.password', 'data.card.number'] }, destination);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    logger.info({ event: 'form_submission', description: `Order placed: ord-${i}`, data: data(i), result: 'Order placed', success: true }, 'Order placed');
    if (i % yieldEvery === 0) await tick();
  }
  if (process.env.BENCH_PINO_SYNC === '1') destination.flushSync();
  else await new Promise((resolve) => destination.flush(resolve));
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ recordsPerSec: count / seconds }));
}
