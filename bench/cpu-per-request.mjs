// `node bench/cpu-per-request.mjs [bare|pino|otel|a|b|c ...]`: what one request costs the
// bench server under each variant, one server at a time: CPU time (user and kernel, from
// /proc) and wall time per request, and the ratio of bare's wall time to the variant's.
//
// Why, next to `npm run bench`: the bench runs every variant at once and interleaves them
// in short slices, which keeps a drifting VM from favouring one of them; this one loads a
// single server with nothing else running, and says where a variant's time goes (its own
// code, or the kernel's socket, file and export work).
//
// Method (Linux): the server is pinned to core 0 and this process (the load) and the OTLP
// sink to core 1, when there are two cores and taskset. For each round and variant: a
// server starts, gets 20,000 requests to warm up, 6 s to let its batch exporters send what
// they hold, then BENCH_REQUESTS (100,000) requests over 64 keep-alive connections, and 6 s
// more, so that the exports those requests caused are counted. CPU per request is the
// server's utime and stime over that window divided by the requests; wall time is the
// load's duration divided by the requests (exports that run after the load count as CPU,
// not as wall time). BENCH_ROUNDS (1) rounds; medians when more.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canPin, pinned, root, sendRequests, startListening, stopProcess } from './servers.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WARMUP_REQUESTS = 20_000;
const EXPORT_WAIT_MILLIS = 6000; // longer than the span processor's 5 s schedule
const CONNECTIONS = 64;

const dir = mkdtempSync(join(tmpdir(), 'otel-activity-cpu-'));
const activity = { ACTIVITY_CONSOLE: 'off', ACTIVITY_AUDIT: 'off', ACTIVITY_BANNER: 'false', OTEL_SERVICE_NAME: 'bench', ACTIVITY_FILE_MAX_BYTES: '1000000000' };
const register = ['--import', 'otel-activity/register'];
const otelPeer = { OTEL_SERVICE_NAME: 'bench', OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_NODE_RESOURCE_DETECTORS: 'none' };
const VARIANTS = {
  bare: { name: 'bare', args: [], env: () => ({}) },
  pino: { name: 'pino-http → file', args: [], env: () => ({ BENCH_PINO: '1', BENCH_LOG_FILE: join(dir, 'pino.log') }) },
  otel: { name: 'OTel auto-instrumentations-node → OTLP (spans)', args: ['--require', '@opentelemetry/auto-instrumentations-node/register'], env: (sink) => ({ ...otelPeer, OTEL_EXPORTER_OTLP_ENDPOINT: sink }) },
  a: { name: '(a) otel-activity → JSON file, no tracing', args: register, env: () => ({ ...activity, ACTIVITY_FILE: join(dir, 'a.log') }) },
  b: { name: '(b) (a) + OTLP log export', args: register, env: (sink) => ({ ...activity, ACTIVITY_FILE: join(dir, 'b.log'), OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_EXPORTER: 'none' }) },
  c: { name: '(c) (b) + every request traced and exported', args: register, env: (sink) => ({ ...activity, ACTIVITY_FILE: join(dir, 'c.log'), OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'always_on' }) },
};

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(VARIANTS);
for (const name of names) if (!(name in VARIANTS)) throw new Error(`unknown variant ${name}: one of ${Object.keys(VARIANTS).join(', ')}`);
if (!names.includes('bare')) names.unshift('bare'); // the ratios need it

if (canPin) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** utime and stime of a process, in seconds (`taskset` execs the command: the child is the server). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

/** One variant's µs per request: user, system, wall. */
async function measure(variant, sinkUrl) {
  const [command, args] = pinned('0', [...variant.args, 'bench/server.cjs']);
  const server = startListening(command, args, variant.env(sinkUrl));
  const port = await server.port;
  await sendRequests(port, WARMUP_REQUESTS, CONNECTIONS);
  await sleep(EXPORT_WAIT_MILLIS);
  const before = cpuSeconds(server.child.pid);
  const millis = await sendRequests(port, REQUESTS, CONNECTIONS);
  await sleep(EXPORT_WAIT_MILLIS);
  const after = cpuSeconds(server.child.pid);
  await stopProcess(server.child);
  const perRequest = (seconds) => (seconds * 1e6) / REQUESTS;
  return { user: perRequest(after.user - before.user), system: perRequest(after.system - before.system), wall: (millis * 1000) / REQUESTS };
}

const [sinkCommand, sinkArgs] = pinned('1', [join(root, 'bench/otlp-sink.mjs')]);
const sink = startListening(sinkCommand, sinkArgs, {});
const sinkUrl = `http://127.0.0.1:${await sink.port}`;
console.log(`CPU per request of bench/server.cjs, one server at a time (node ${process.version}, ${canPin ? 'server on core 0, load and OTLP sink on core 1' : 'NOT pinned'}); ${REQUESTS} requests over ${CONNECTIONS} connections after ${WARMUP_REQUESTS} to warm up; ${ROUNDS} round(s)\n`);

const results = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) for (const name of names) results[name].push(await measure(VARIANTS[name], sinkUrl));
await stopProcess(sink.child);
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bareWall = median(results.bare.map((r) => r.wall));
console.log('| variant | user µs/request | kernel µs/request | wall µs/request | requests/s | ratio to bare (wall) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const name of names) {
  const rs = results[name];
  const wall = median(rs.map((r) => r.wall));
  const cells = [median(rs.map((r) => r.user)).toFixed(1), median(rs.map((r) => r.system)).toFixed(1), wall.toFixed(1), Math.round(1e6 / wall), (bareWall / wall).toFixed(3)];
  console.log(`| ${VARIANTS[name].name} | ${cells.join(' | ')} |`);
}
