// The tiny server every variant serves. CommonJS on purpose: OpenTelemetry's own
// auto-instrumentations-node/register does not trace an ESM app's `import 'node:http'`
// (checked: zero spans with --require and with --import), so an ESM server would
// measure that peer doing nothing. BENCH_PINO=1 wraps it with pino-http writing to a
// file (the peer); the other variants differ only by their preload and env.
const http = require('node:http');

let handler = (req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('hello world');
};

if (process.env.BENCH_PINO === '1') {
  const pino = require('pino');
  const pinoHttp = require('pino-http');
  const logger = pino(pino.destination({ dest: process.env.BENCH_LOG_FILE, minLength: 4096, sync: false }));
  const log = pinoHttp({ logger });
  const inner = handler;
  handler = (req, res) => {
    log(req, res);
    inner(req, res);
  };
}

const server = http.createServer(handler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
