// Helpers of the benchmarks that serve a fixed number of requests to one server at a time
// (bench/instructions.mjs, bench/cpu-per-request.mjs).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

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
