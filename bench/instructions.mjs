// `node bench/instructions.mjs [bare|pino|a|b|c ...]`: user-space instructions per request of
// the bench server under each variant, counted by valgrind (cachegrind, no cache simulation).
//
// Why: on a shared VM a full `npm run bench` moves by a few hundredths from run to run,
// so a change worth 2-5% cannot be seen there. An instruction count is nearly exact
// (about ±0.5k per request between runs); it leaves out the kernel (the socket and file
// writes), so it is a guide to what the process itself does, not a throughput.
//
// Method: the server runs under valgrind (`--single-threaded`, so V8 compiles on the
// main thread, as counted) and is sent 5,000 and then, in a second process, 25,000
// requests over 16 keep-alive connections; (count at 25,000 − count at 5,000) ÷ 20,000
// is the cost of a request once warm, start-up and JIT warm-up cancelled out. Run one
// variant at a time: a second valgrind on the machine changes the timing, and with it
// how records batch (in one try, (a) counted 113k instead of 103k).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, sendRequests, startListening } from './servers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'otel-activity-instructions-'));
const activity = { ACTIVITY_CONSOLE: 'off', ACTIVITY_AUDIT: 'off', ACTIVITY_BANNER: 'false', OTEL_SERVICE_NAME: 'bench', ACTIVITY_FILE_MAX_BYTES: '1000000000' };
const register = ['--import', 'otel-activity/register'];
const VARIANTS = {
  bare: { args: [], env: () => ({}) },
  pino: { args: [], env: () => ({ BENCH_PINO: '1', BENCH_LOG_FILE: join(dir, 'pino.log') }) },
  a: { args: register, env: () => ({ ...activity, ACTIVITY_FILE: join(dir, 'a.log') }) },
  b: { args: register, env: (sink) => ({ ...activity, ACTIVITY_FILE: join(dir, 'b.log'), OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_EXPORTER: 'none' }) },
  c: { args: register, env: (sink) => ({ ...activity, ACTIVITY_FILE: join(dir, 'c.log'), OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'always_on' }) },
};

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('bench/instructions.mjs needs valgrind (apt install valgrind)');
  process.exit(2);
}
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['bare', 'pino', 'a', 'b'];
for (const name of names) if (!(name in VARIANTS)) throw new Error(`unknown variant ${name}: one of ${Object.keys(VARIANTS).join(', ')}`);

/** Instructions of one server process (valgrind) serving `requests` requests. */
async function count(variant, requests, sink) {
  const args = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', ...variant.args, 'bench/server.cjs'];
  const server = startListening('valgrind', args, variant.env(sink));
  await sendRequests(await server.port, requests, 16);
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM'); // otel-activity flushes and exits; a bare server dies of it
  await exited;
  const refs = /I\s+refs:\s+([\d,]+)/.exec(server.stderr());
  if (!refs) throw new Error(`no instruction count from valgrind: ${server.stderr().slice(-2000)}`);
  return Number(refs[1].replaceAll(',', ''));
}

const sink = startListening(process.execPath, [join(root, 'bench/otlp-sink.mjs')], {});
const sinkUrl = `http://127.0.0.1:${await sink.port}`;
console.log(`user-space instructions per request of bench/server.cjs (node ${process.version}, valgrind cachegrind): (count at 25000 - count at 5000) / 20000`);
for (const name of names) {
  const variant = VARIANTS[name];
  const few = await count(variant, 5000, sinkUrl);
  const many = await count(variant, 25000, sinkUrl);
  console.log(`${name.padEnd(5)} ${Math.round((many - few) / 20000)}`);
}
sink.child.kill();
rmSync(dir, { recursive: true, force: true });
