// What the benchmarks share: starting server processes (pinned to a core when the machine
// allows), stopping them, and sending one server a fixed number of requests.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Processes can be pinned to cores: two cores or more, and taskset. */
export const canPin = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;

/** `[command, args]` that run `node args…` pinned to `core` (when pinning is possible). */
export function pinned(core, args) {
  return canPin ? ['taskset', ['-c', core, process.execPath, ...args]] : [process.execPath, args];
}

/** Starts a process that prints `LISTENING <port>` (in the project's root); resolves its port. */
export function startListening(command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const port = new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${err.slice(-2000)}`)));
  });
  return { child, port, stderr: () => err };
}

/** SIGTERM, then SIGKILL after 5 s: OpenTelemetry's own preload keeps a listening server alive on SIGTERM. */
export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Sends `total` GETs of / over `connections` keep-alive sockets, each the next when the
 * previous answer is complete (a minimal parser: status line and Content-Length).
 * Resolves the milliseconds it took.
 */
export function sendRequests(port, total, connections) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    for (let c = 0; c < connections; c++) {
      const socket = net.connect(port, '127.0.0.1');
      let pending = '';
      const next = () => (sent < total ? (sent++, socket.write(request)) : socket.end());
      socket.on('connect', next);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        pending += chunk.toString('latin1');
        for (;;) {
          const headEnd = pending.indexOf('\r\n\r\n');
          if (headEnd < 0) return;
          const length = Number(/content-length:\s*(\d+)/i.exec(pending.slice(0, headEnd))?.[1] ?? 0);
          if (pending.length < headEnd + 4 + length) return;
          pending = pending.slice(headEnd + 4 + length);
          if (++done === total) resolve(performance.now() - started);
          next();
        }
      });
    }
  });
}
