import { userInfo } from 'node:os';
import type { AuditActor } from '../audit/AuditStore.ts';

/**
 * The operator running the CLI, as the actor of the audit events it causes (purge,
 * anonymise, export): `cli:<OS user name>`, prefixed so it cannot pass for an app user id.
 */
export function operatorActor(): AuditActor {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME; // no passwd entry (some containers)
  }
  return { userId: `cli:${name || 'unknown'}` };
}
