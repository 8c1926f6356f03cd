// The load generator (run pinned to its own core): autocannon against one URL,
// prints {requestsPerSec, latencyP50, latencyP99, errors, non2xx} as JSON.
import autocannon from 'autocannon';

const [url, durationSeconds = '10', connections = '64'] = process.argv.slice(2);
const result = await autocannon({ url, duration: Number(durationSeconds), connections: Number(connections), pipelining: 1 });
console.log(
  JSON.stringify({
    requestsPerSec: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }),
);
