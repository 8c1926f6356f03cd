// `npm run bench`: every variant in one run, same tiny server, same load, ratios to bare.
//
// The server runs pinned to core 0 (taskset), the load generator (autocannon) and the
// local OTLP sink to core 1, so the server's core measures only the server. Each variant
// gets a warm-up, then BENCH_ROUNDS (default 3) measured rounds of BENCH_SECONDS (default
// 8) seconds; variants take turns round by round (so drift hits all alike) and the median
// is reported. Then records/s of the logger APIs, then the audit store's rows/s.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const pin = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
const SERVER_CORE = '0';
const CLIENT_CORE = '1';
const dir = mkdtempSync(join(tmpdir(), 'otel-activity-bench-'));

function start(args, env, core) {
  const command = pin ? 'taskset' : process.execPath;
  const argv = pin ? ['-c', core, process.execPath, ...args] : args;
  const child = spawn(command, argv, { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const port = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${err}`)));
  });
  return { child, port, stderr: () => err };
}

/** SIGTERM, then SIGKILL after 5 s: OpenTelemetry's own preload keeps a listening server alive on SIGTERM. */
async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs the load generator (async, so the servers' output pipes keep draining meanwhile). */
function load(url, seconds) {
  const args = [join(root, 'bench/load.mjs'), url, String(seconds), String(CONNECTIONS)];
  const child = spawn(pin ? 'taskset' : process.execPath, pin ? ['-c', CLIENT_CORE, process.execPath, ...args] : args, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`load generator failed: ${err}`)))),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time (user + system) the process has used so far, in microseconds. */
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100); // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

// --- the variants ------------------------------------------------------------------
// Each OTLP variant gets its own sink, so the table can show what each really exported.
const sinks = [];
async function sinkUrl() {
  const sink = start([join(root, 'bench/otlp-sink.mjs')], {}, CLIENT_CORE);
  sinks.push(sink);
  return `http://127.0.0.1:${await sink.port}`;
}
let autoSink, aSink, bSink, cSink;
const activityBase = { ACTIVITY_CONSOLE: 'off', ACTIVITY_AUDIT: 'off', ACTIVITY_BANNER: 'false', OTEL_SERVICE_NAME: 'bench' };
const variants = [
  { name: 'bare', args: ['bench/server.cjs'], env: {} },
  { name: 'pino-http → file', args: ['bench/server.cjs'], env: { BENCH_PINO: '1', BENCH_LOG_FILE: join(dir, 'pino.log') } },
  {
    name: 'OTel auto-instrumentations-node → OTLP (spans)',
    args: ['--require', '@opentelemetry/auto-instrumentations-node/register', 'bench/server.cjs'],
    sink: () => autoSink,
    env: { OTEL_SERVICE_NAME: 'bench', OTEL_EXPORTER_OTLP_ENDPOINT: (autoSink = await sinkUrl()), OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_NODE_RESOURCE_DETECTORS: 'none' },
  },
  {
    name: '(a) otel-activity → JSON file, no tracing',
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: { ...activityBase, ACTIVITY_FILE: join(dir, 'a.log'), ACTIVITY_FILE_MAX_BYTES: '100000000' },
    target: 0.7,
  },
  {
    name: "(a') otel-activity → JSON file, tracing on, not sampled",
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: { ...activityBase, ACTIVITY_FILE: join(dir, 'a2.log'), ACTIVITY_FILE_MAX_BYTES: '100000000', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${(aSink = await sinkUrl())}/v1/traces`, OTEL_TRACES_SAMPLER: 'always_off' },
    sink: () => aSink,
    target: 0.7,
  },
  {
    name: '(b) (a) + OTLP log export',
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: { ...activityBase, ACTIVITY_FILE: join(dir, 'b.log'), ACTIVITY_FILE_MAX_BYTES: '100000000', OTEL_EXPORTER_OTLP_ENDPOINT: (bSink = await sinkUrl()), OTEL_TRACES_EXPORTER: 'none' },
    sink: () => bSink,
    target: 0.55,
  },
  {
    name: '(c) (b) + every request traced and exported',
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: { ...activityBase, ACTIVITY_FILE: join(dir, 'c.log'), ACTIVITY_FILE_MAX_BYTES: '100000000', OTEL_EXPORTER_OTLP_ENDPOINT: (cSink = await sinkUrl()), OTEL_TRACES_SAMPLER: 'always_on' },
    sink: () => cSink,
    target: 0.4,
  },
];

console.log(`otel-activity bench: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), ${pin ? `server on core ${SERVER_CORE}, load generator and OTLP sink on core ${CLIENT_CORE}` : 'NOT pinned (no taskset or one core)'}`);
console.log(`autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s per variant, median reported\n`);

const servers = [];
for (const v of variants) {
  const proc = start(v.args, v.env, SERVER_CORE);
  servers.push({ v, proc, url: `http://127.0.0.1:${await proc.port}/`, rps: [], p99: [], cpu: [] });
}
for (const s of servers) await load(s.url, 2); // warm-up (JIT, connection pools)
for (let round = 0; round < ROUNDS; round++) {
  for (const s of servers) {
    process.stderr.write(`round ${round + 1}/${ROUNDS}: ${s.v.name}\n`);
    const cpuBefore = cpuMicros(s.proc.child.pid);
    const r = await load(s.url, SECONDS);
    const cpuAfter = cpuMicros(s.proc.child.pid);
    if (r.errors > 0 || r.non2xx > 0) throw new Error(`${s.v.name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
    s.rps.push(r.requestsPerSec);
    s.p99.push(r.latencyP99);
    s.cpu.push((cpuAfter - cpuBefore) / (r.requestsPerSec * SECONDS));
  }
}
await new Promise((r) => setTimeout(r, 6000)); // let batch exporters (5 s for spans) send what they hold
for (const s of servers) {
  if (s.v.sink) s.exported = await (await fetch(`${s.v.sink()}/stats`)).json();
}
for (const s of servers) await stop(s.proc);
for (const sink of sinks) await stop(sink);

const bare = median(servers[0].rps);
const bareCpu = median(servers[0].cpu);
const kib = (n) => `${Math.round((n ?? 0) / 1024)} KiB`;
console.log('| variant | requests/s | ratio to bare | server CPU µs/request | bare CPU ÷ this | p99 (ms) | exported | target (ratio to bare) |');
console.log('|---|---:|---:|---:|---:|---:|---|---|');
for (const s of servers) {
  const rps = median(s.rps);
  const ratio = rps / bare;
  const cpu = median(s.cpu);
  const exported = s.exported ? `logs ${kib(s.exported['/v1/logs'])}, spans ${kib(s.exported['/v1/traces'])}` : '';
  const verdict = s.v.target === undefined ? '' : `>= ${s.v.target}: ${ratio >= s.v.target ? 'met' : 'NOT met'}`;
  console.log(`| ${s.v.name} | ${Math.round(rps)} | ${ratio.toFixed(2)} | ${cpu.toFixed(1)} | ${(bareCpu / cpu).toFixed(2)} | ${median(s.p99)} | ${exported} | ${verdict} |`);
}
console.log(`(spread of bare over rounds: ${Math.round(Math.min(...servers[0].rps))}-${Math.round(Math.max(...servers[0].rps))} requests/s)`);

// --- records/s of the logger APIs ---------------------------------------------------
function throughput(which, extraEnv = {}) {
  const file = join(dir, `${which}-records.log`);
  const args = [join(root, 'bench/record-throughput.mjs'), which, String(process.env.BENCH_RECORDS ?? 200000), file];
  const result = spawnSync(pin ? 'taskset' : process.execPath, pin ? ['-c', SERVER_CORE, process.execPath, ...args] : args, {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ACTIVITY_FILE_MAX_BYTES: '1000000000', ...extraEnv },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop()).recordsPerSec;
}
const recordRuns = { 'otel-activity': [], 'pino-async': [], 'pino-sync': [] };
for (let round = 0; round < ROUNDS; round++) {
  recordRuns['otel-activity'].push(throughput('otel-activity'));
  recordRuns['pino-async'].push(throughput('pino', { BENCH_PINO_SYNC: '0' }));
  recordRuns['pino-sync'].push(throughput('pino', { BENCH_PINO_SYNC: '1' }));
}
const ours = median(recordRuns['otel-activity']);
const pinoAsync = median(recordRuns['pino-async']);
const pinoSync = median(recordRuns['pino-sync']);
console.log('\n| logger API, with masking, into a JSON lines file | records/s | otel-activity ÷ this |');
console.log('|---|---:|---:|');
console.log(`| otel-activity recordAction (narrative + JSON line, every value masked) | ${Math.round(ours)} | 1.00 |`);
console.log(`| pino with redact, async destination (minLength 4096) | ${Math.round(pinoAsync)} | ${(ours / pinoAsync).toFixed(2)} |`);
console.log(`| pino with redact, default synchronous destination | ${Math.round(pinoSync)} | ${(ours / pinoSync).toFixed(2)} |`);
console.log('target: otel-activity >= 2x pino');

// --- the audit store ----------------------------------------------------------------
if (process.env.BENCH_AUDIT !== '0') {
  console.log('\naudit store (bench/audit-throughput.ts, the machine\'s PostgreSQL):');
  const audit = spawnSync(process.execPath, [join(root, 'bench/audit-throughput.ts')], { cwd: root, encoding: 'utf8', env: process.env });
  process.stdout.write(audit.stdout);
  if (audit.status !== 0) console.log(`(audit bench failed: ${audit.stderr.trim().split('\n').pop()})`);
}
rmSync(dir, { recursive: true, force: true });
