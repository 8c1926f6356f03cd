import type { AuditApiRequest } from './AuditApiRequest.ts';
import { recordApiEvent } from './record-api-event.ts';
import { resolveScope } from './resolve-scope.ts';
import { sendJson } from './send-json.ts';

/**
 * `GET /verify`: walks the hash chains in the caller's scope; 200 with `{ ok, tenants }`
 * either way (a broken chain is a finding, not a failed request), each tenant with its
 * head and, when broken, the first row where the chain does not hold.
 */
export async function handleVerify(r: AuditApiRequest): Promise<void> {
  const scope = resolveScope(r);
  const result = await r.store.verify(scope);
  await recordApiEvent(r, {
    description: `Audit chains verified: ${result.ok ? 'intact' : 'BROKEN'} (${result.tenants.length} tenants)`,
    scope,
    details: { ok: result.ok, tenants: result.tenants.length, broken: result.tenants.filter((t) => !t.ok).map((t) => t.tenantId) },
  });
  sendJson(r.res, 200, result);
}
