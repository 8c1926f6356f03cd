// A local OTLP/HTTP sink: reads and drops every export, answers 200, and counts what it
// got per path (GET /stats), so the bench can show that an exporter really exported.
import http from 'node:http';

const received = {};
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(received));
    return;
  }
  let bytes = 0;
  req.on('data', (c) => (bytes += c.length));
  req.on('end', () => {
    received[req.url] = (received[req.url] ?? 0) + bytes;
    res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
