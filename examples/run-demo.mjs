// `npm run demo`: starts the demo service with the otel-activity preload, plays three
// users' journeys against it, stops it (SIGTERM flushes everything), then reads back
// what was recorded: a summary per user from logs/activity.log, Alice's audit trail
// from the audit store, and the verdict of the store's hash-chain verification.
//
// Settings come from the environment as for any app (ACTIVITY_*, OTEL_*); set
// ACTIVITY_AUDIT_DATABASE_URL=postgres://... to put the audit trail in real Postgres.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openAuditStore, resolveConfig } from 'otel-activity';
import { runTraffic } from './traffic.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const startedAt = new Date();
const config = resolveConfig({ cwd: root });

console.log('▶ starting the demo service: node --import otel-activity/register examples/app.mjs\n');
const app = spawn(process.execPath, ['--import', 'otel-activity/register', 'examples/app.mjs'], {
  cwd: root,
  // The embedded audit store's first open (at Alice's login) can stall the event loop for
  // seconds on a busy machine, and the slow route's 1.2 s would then read as very slow:
  // the demo keeps that threshold out of its way (a real ACTIVITY_VERY_SLOW_MS still wins).
  env: { ACTIVITY_VERY_SLOW_MS: '30000', ...process.env, PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = new Promise((resolve) => app.on('exit', (code, signal) => resolve(code ?? signal)));
const port = await new Promise((resolve, reject) => {
  let buffered = '';
  app.stdout.on('data', (chunk) => {
    const text = chunk.toString('utf8');
    process.stdout.write(text.replace(/^LISTENING \d+\n/m, ''));
    buffered += text;
    const m = /LISTENING (\d+)/.exec(buffered);
    if (m) resolve(m[1]);
  });
  exited.then((code) => reject(new Error(`the demo service exited (${code}) before it listened`)));
});

console.log(`▶ playing three journeys against http://127.0.0.1:${port}\n`);
await runTraffic(`http://127.0.0.1:${port}`);

app.kill('SIGTERM');
await exited;

// --- what otel-activity recorded -------------------------------------------------
const records = config.file !== false && existsSync(config.file)
  ? readFileSync(config.file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((r) => new Date(r.action.timestamp) >= startedAt)
  : [];
console.log(`\n▶ ${records.length} records in ${config.file} from this run; per user:\n`);
const byUser = new Map();
for (const r of records) {
  const who = r.session.user_id ?? `anonymous (${r.session.ip_address})`;
  if (!byUser.has(who)) byUser.set(who, []);
  byUser.get(who).push(r);
}
for (const [who, list] of byUser) {
  const types = {};
  for (const r of list) types[r.action.action_type] = (types[r.action.action_type] ?? 0) + 1;
  const warn = list.filter((r) => r.level === 'WARN').length;
  const errors = list.filter((r) => r.level === 'ERROR').length;
  const requests = list.filter((r) => r.action.duration_ms !== undefined);
  const avg = requests.reduce((s, r) => s + r.action.duration_ms, 0) / Math.max(1, requests.length);
  const kinds = Object.entries(types).map(([t, n]) => `${n} ${t}`).join(', ');
  console.log(`  ${who.padEnd(24)} ${String(list.length).padStart(3)} records (${kinds}); ${warn} WARN, ${errors} ERROR; requests took ${avg.toFixed(1)} ms on average`);
}

if (config.audit.enabled) {
  const store = await openAuditStore(config.audit);
  try {
    const trail = await store.trail({ tenantId: 'acme' }, 'alice', { limit: 8 });
    console.log(`\n▶ Alice's audit trail (tenant acme, newest first, ${config.audit.databaseUrl ? 'Postgres' : `embedded store in ${config.audit.dataDir}`}):\n`);
    for (const e of trail.items) {
      console.log(`  #${String(e.seq).padStart(4)}  ${e.createdAt.toISOString()}  ${e.action.padEnd(7)} ${`${e.resourceType ?? ''} ${e.resourceId ?? ''}`.trim().padEnd(20)} ${e.outcome}  request ${e.requestId}`);
    }
    const verdict = await store.verify({ allTenants: true });
    console.log(`\n▶ verify: ${verdict.ok ? 'every hash chain holds' : 'A CHAIN IS BROKEN'}`);
    for (const t of verdict.tenants) {
      console.log(`  tenant ${(t.tenantId || '(none)').padEnd(8)} ${String(t.rows).padStart(5)} rows  ${t.ok ? 'ok' : `broken at #${t.firstBroken?.seq}: ${t.firstBroken?.reason}`}`);
    }
  } finally {
    await store.close();
  }
}
console.log('\nMore: jq \'select(.session.user_id == "alice")\' logs/activity.log   ·   npx otel-activity audit --help');
