import type { ChainHead } from '../AuditStore.ts';
import type { SqlQueryable } from '../driver/SqlDriver.ts';

/** The chain heads of one tenant, or of all tenants when `tenantId` is undefined, by tenant. */
export async function readChainHeads(db: SqlQueryable, tenantId?: string): Promise<ChainHead[]> {
  const rows =
    tenantId === undefined
      ? await db.query<{ tenant_id: string; last_seq: string | number; last_hash: string }>(
          'SELECT tenant_id, last_seq, last_hash FROM activity_log_chain ORDER BY tenant_id',
        )
      : await db.query<{ tenant_id: string; last_seq: string | number; last_hash: string }>(
          'SELECT tenant_id, last_seq, last_hash FROM activity_log_chain WHERE tenant_id = $1',
          [tenantId],
        );
  return rows.map((r) => ({ tenantId: r.tenant_id, seq: Number(r.last_seq), hash: r.last_hash }));
}
