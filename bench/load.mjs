// The load generator (run pinned to its own core): closed-loop HTTP/1.1 keep-alive load
// over raw sockets, taking turns between servers in short slices.
//
//   node bench/load.mjs '{"targets":["http://127.0.0.1:…/",…],"connections":64,"sliceMillis":300,"cycles":30,"warmupCycles":3}'
//
// Every target keeps `connections` sockets open for the whole run; in each slice one
// target gets the load (each socket sends the next GET as soon as the previous answer
// is complete), the others sit idle. A cycle gives every target one slice, so a slow
// drift of the machine (a shared VM's neighbours) hits all targets alike, and each
// target's slice is compared with bare's slice of the same cycle. The parser is minimal
// on purpose (status line, Content-Length, no chunking): the client must cost far less
// than the server. Prints one JSON line: per target, the requests/s of every measured
// slice and the count of non-2xx answers.
import net from 'node:net';

const { targets: specs, connections, sliceMillis, cycles, warmupCycles } = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const targets = specs.map((url) => ({ url: new URL(url), sockets: [], done: 0, failed: 0, rps: [] }));
let active;

function connect(target) {
  const request = Buffer.from(`GET ${target.url.pathname} HTTP/1.1\r\nHost: ${target.url.host}\r\n\r\n`);
  const socket = net.connect(Number(target.url.port), target.url.hostname);
  socket.setNoDelay(true);
  let pending = null;
  let inFlight = false;
  socket.kick = () => {
    if (inFlight || active !== target) return;
    inFlight = true;
    socket.write(request);
  };
  socket.on('data', (chunk) => {
    pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = pending.latin1Slice(0, headEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const end = headEnd + 4 + length;
      if (pending.length < end) return;
      if (!head.startsWith('HTTP/1.1 2')) target.failed++;
      target.done++;
      inFlight = false;
      pending = pending.length === end ? null : pending.subarray(end);
      socket.kick();
      if (pending === null) return;
    }
  });
  socket.on('error', (error) => {
    console.error(`${target.url}: ${error.message}`);
    process.exit(1);
  });
  target.sockets.push(socket);
}

for (const target of targets) for (let i = 0; i < connections; i++) connect(target);
await sleep(200);

for (let cycle = 0; cycle < warmupCycles + cycles; cycle++) {
  for (const target of targets) {
    active = target;
    const done = target.done;
    const started = performance.now();
    for (const socket of target.sockets) socket.kick();
    await sleep(sliceMillis);
    const seconds = (performance.now() - started) / 1000;
    const requests = target.done - done;
    active = undefined;
    await sleep(20); // let the requests in flight finish before the next target's slice
    if (cycle < warmupCycles) continue;
    target.rps.push(requests / seconds);
  }
}
console.log(JSON.stringify(targets.map(({ rps, failed }) => ({ rps, failed }))));
process.exit(0);
