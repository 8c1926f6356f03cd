// `npm run bench`: every variant in one run, same tiny server, same load, ratios to bare.
//
// Method. Each variant is the same tiny CommonJS server (bench/server.cjs) under its own
// preload and environment; all of them run at once, pinned to core 0 (taskset), idle
// except when loaded. The load generator (bench/load.mjs) and the local OTLP sinks run
// on core 1. The generator keeps 64 keep-alive connections open to every server and
// loads one server at a time, in slices of BENCH_SLICE_MS (default 300) milliseconds:
// a cycle gives every variant one slice, BENCH_CYCLES (default 30) cycles are measured
// after 3 of warm-up. A variant's ratio to bare is taken per cycle (its slice against
// bare's slice of the same cycle), and the median of those ratios is reported with its
// quartiles, so the drift of a shared machine hits every variant alike and shows in the
// spread instead of in the verdict. Then records/s of the logger APIs (a process's first
// BENCH_RECORDS records and the next as many), then the audit store's rows/s.
//
// BENCH_ONLY=<regex> keeps bare plus the variants whose name matches; BENCH_RECORDS=0
// skips the logger APIs, BENCH_AUDIT=0 the audit store.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { canPin, pinned, root, startListening, stopProcess } from './servers.mjs';

const CYCLES = Number(process.env.BENCH_CYCLES ?? 30);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERVER_CORE = '0';
const CLIENT_CORE = '1';
const dir = mkdtempSync(join(tmpdir(), 'otel-activity-bench-'));

/** Starts `node args…` pinned to `core`, a process that prints `LISTENING <port>`. */
function start(args, env, core) {
  const [command, commandArgs] = pinned(core, args);
  return startListening(command, commandArgs, env);
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const median = (xs) => quantile(xs, 0.5);

// --- the variants ------------------------------------------------------------------
// Each OTLP variant gets its own sink, so the table can show what each really exported.
const sinks = [];
async function sinkUrl() {
  const sink = start([join(root, 'bench/otlp-sink.mjs')], {}, CLIENT_CORE);
  sinks.push(sink);
  return `http://127.0.0.1:${await sink.port}`;
}
const activityBase = { ACTIVITY_CONSOLE: 'off', ACTIVITY_AUDIT: 'off', ACTIVITY_BANNER: 'false', OTEL_SERVICE_NAME: 'bench', ACTIVITY_FILE_MAX_BYTES: '1000000000' };
const otelPeerBase = { OTEL_SERVICE_NAME: 'bench', OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_NODE_RESOURCE_DETECTORS: 'none' };
const variants = [
  { name: 'bare', args: ['bench/server.cjs'], env: () => ({}) },
  { name: 'pino-http → file', args: ['bench/server.cjs'], env: () => ({ BENCH_PINO: '1', BENCH_LOG_FILE: join(dir, 'pino.log') }) },
  {
    name: 'OTel auto-instrumentations-node → OTLP (spans)',
    args: ['--require', '@opentelemetry/auto-instrumentations-node/register', 'bench/server.cjs'],
    env: async (v) => ({ ...otelPeerBase, OTEL_EXPORTER_OTLP_ENDPOINT: (v.sink = await sinkUrl()) }),
  },
  {
    name: '(a) otel-activity → JSON file, no tracing',
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: () => ({ ...activityBase, ACTIVITY_FILE: join(dir, 'a.log') }),
    target: 0.7,
  },
  // Node 24 stores async context this way by default (and no longer knows the flag); on Node 22 it takes the flag.
  ...(process.allowedNodeEnvironmentFlags.has('--experimental-async-context-frame')
    ? [
        {
          name: '(a) with --experimental-async-context-frame',
          args: ['--experimental-async-context-frame', '--import', 'otel-activity/register', 'bench/server.cjs'],
          env: () => ({ ...activityBase, ACTIVITY_FILE: join(dir, 'a-frame.log') }),
        },
      ]
    : []),
  {
    name: "(a') (a), tracing on, nothing sampled",
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: async (v) => ({ ...activityBase, ACTIVITY_FILE: join(dir, 'a2.log'), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${(v.sink = await sinkUrl())}/v1/traces`, OTEL_TRACES_SAMPLER: 'always_off' }),
  },
  {
    name: '(b) (a) + OTLP log export',
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: async (v) => ({ ...activityBase, ACTIVITY_FILE: join(dir, 'b.log'), OTEL_EXPORTER_OTLP_ENDPOINT: (v.sink = await sinkUrl()), OTEL_TRACES_EXPORTER: 'none' }),
    target: 0.55,
  },
  {
    name: '(c) (b) + every request traced and exported',
    args: ['--import', 'otel-activity/register', 'bench/server.cjs'],
    env: async (v) => ({ ...activityBase, ACTIVITY_FILE: join(dir, 'c.log'), OTEL_EXPORTER_OTLP_ENDPOINT: (v.sink = await sinkUrl()), OTEL_TRACES_SAMPLER: 'always_on' }),
    target: 0.4,
  },
];
if (process.env.BENCH_ONLY) {
  const only = new RegExp(process.env.BENCH_ONLY);
  for (let i = variants.length - 1; i > 0; i--) if (!only.test(variants[i].name)) variants.splice(i, 1);
}

console.log(`otel-activity bench: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), ${canPin ? `servers on core ${SERVER_CORE}, load generator and OTLP sinks on core ${CLIENT_CORE}` : 'NOT pinned (no taskset or one core)'}`);
console.log(`closed-loop HTTP/1.1 load, ${CONNECTIONS} keep-alive connections per server; ${CYCLES} cycles of ${SLICE_MS} ms slices, variants taking turns; medians of per-cycle ratios\n`);

const servers = [];
for (const v of variants) {
  const proc = start(v.args, await v.env(v), SERVER_CORE);
  servers.push({ v, proc, url: `http://127.0.0.1:${await proc.port}/` });
}
const load = spawn(
  ...pinned(CLIENT_CORE, [join(root, 'bench/load.mjs'), JSON.stringify({ targets: servers.map((s) => s.url), connections: CONNECTIONS, sliceMillis: SLICE_MS, cycles: CYCLES, warmupCycles: 3 })]),
  { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'inherit'] },
);
let loadOutput = '';
load.stdout.on('data', (c) => (loadOutput += c));
const loadCode = await new Promise((resolve) => load.on('exit', resolve));
if (loadCode !== 0) throw new Error(`the load generator failed (${loadCode})`);
const results = JSON.parse(loadOutput.trim().split('\n').pop());

await new Promise((r) => setTimeout(r, 6000)); // let batch exporters (5 s for spans) send what they hold
for (const s of servers) if (s.v.sink) s.exported = await (await fetch(`${s.v.sink}/stats`)).json();
for (const s of servers) await stopProcess(s.proc.child);
for (const sink of sinks) await stopProcess(sink.child);
// The servers' log files (about 1.5 GB on a fast day) are not read: deleted now, their
// dirty pages are dropped instead of being written back by the kernel during the logger
// APIs' rounds below, which slowed the logger writing more bytes (otel-activity's steady
// rate was 327k to 417k records/s after the servers, 420k to 460k alone).
for (const file of readdirSync(dir)) rmSync(join(dir, file), { force: true });

const bare = results[0];
const kib = (n) => `${Math.round((n ?? 0) / 1024)} KiB`;
console.log('| variant | requests/s | ratio to bare (median) | quartiles | exported | target (ratio to bare) |');
console.log('|---|---:|---:|---|---|---|');
servers.forEach((s, i) => {
  const r = results[i];
  if (r.failed > 0) throw new Error(`${s.v.name}: ${r.failed} answers were not 2xx`);
  const ratios = r.rps.map((rps, k) => rps / bare.rps[k]);
  const ratio = median(ratios);
  const exported = s.exported ? `logs ${kib(s.exported['/v1/logs'])}, spans ${kib(s.exported['/v1/traces'])}` : '';
  const verdict = s.v.target === undefined ? '' : `≥ ${s.v.target}: ${ratio >= s.v.target ? 'met' : 'NOT met'}`;
  console.log(`| ${s.v.name} | ${Math.round(median(r.rps))} | ${ratio.toFixed(3)} | ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)} | ${exported} | ${verdict} |`);
});
console.log(`(bare over the cycles: ${Math.round(Math.min(...bare.rps))}–${Math.round(Math.max(...bare.rps))} requests/s)`);

// --- records/s of the logger APIs ---------------------------------------------------
function throughput(which, extraEnv = {}) {
  const file = join(dir, `${which}-records.log`);
  const result = spawnSync(...pinned(SERVER_CORE, [join(root, 'bench/record-throughput.mjs'), which, String(RECORDS), file]), {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ACTIVITY_FILE_MAX_BYTES: '1000000000', ...extraEnv },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  rmSync(file, { force: true });
  return JSON.parse(result.stdout.trim().split('\n').pop()).recordsPerSec;
}
if (RECORDS > 0) {
  // Rounds take turns too; the ratio of each round is taken within the round. Each process
  // times two passes of RECORDS records: the first from its first record (JIT warm-up
  // included), the next in the steady state.
  const runs = { ours: [], pinoAsync: [], pinoSync: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.ours.push(throughput('otel-activity'));
    runs.pinoAsync.push(throughput('pino', { BENCH_PINO_SYNC: '0' }));
    runs.pinoSync.push(throughput('pino', { BENCH_PINO_SYNC: '1' }));
  }
  const rate = (xs, pass) => Math.round(median(xs.map((x) => x[pass])));
  const vs = (peer, pass) => median(runs.ours.map((ours, k) => ours[pass] / peer[k][pass]));
  const row = (name, xs) => `| ${name} | ${rate(xs, 'first')} | ${rate(xs, 'next')} | ${vs(xs, 'first').toFixed(3)} / ${vs(xs, 'next').toFixed(3)} |`;
  console.log(`\n| logger API, with masking, into a JSON lines file (${ROUNDS} rounds) | records/s, first ${RECORDS} | records/s, next ${RECORDS} | otel-activity ÷ this (first / next) |`);
  console.log('|---|---:|---:|---:|');
  console.log(row('otel-activity recordAction (narrative + JSON line, every value masked)', runs.ours));
  console.log(row('pino with redact, async destination (minLength 4096)', runs.pinoAsync));
  console.log(row('pino with redact, default synchronous destination', runs.pinoSync));
  const verdict = (pass) => (vs(runs.pinoAsync, pass) >= 2 ? 'met' : 'NOT met');
  console.log(`target: otel-activity ≥ 2× pino (async destination): first ${RECORDS} records (warm-up included) ${verdict('first')}, next ${RECORDS} (steady state) ${verdict('next')}`);
}

// --- the audit store ----------------------------------------------------------------
if (process.env.BENCH_AUDIT !== '0') {
  console.log("\naudit store (bench/audit-throughput.ts, the machine's PostgreSQL):");
  const audit = spawnSync(process.execPath, [join(root, 'bench/audit-throughput.ts')], { cwd: root, encoding: 'utf8', env: process.env });
  process.stdout.write(audit.stdout);
  if (audit.status !== 0) console.log(`(audit bench failed: ${audit.stderr.trim().split('\n').pop()})`);
}
rmSync(dir, { recursive: true, force: true });
