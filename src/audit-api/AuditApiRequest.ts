import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditStore } from '../audit/AuditStore.ts';
import type { Masker } from '../masking/create-masker.ts';
import type { AuditApiCaller } from './AuditApiCaller.ts';

/** One request as a route handler sees it: authorised, routed, its query checked for unknown names. */
export interface AuditApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The route's name for audit details and errors, e.g. `GET /events`. */
  route: string;
  /** The query string (names already checked against the route's list). */
  query: URLSearchParams;
  /** Decoded path parameters (`id`). */
  params: Readonly<Record<string, string>>;
  caller: AuditApiCaller;
  isAdmin: boolean;
  store: AuditStore;
  /** Largest page size a caller may ask for. */
  maxLimit: number;
  /** Masks secrets in what the API writes into its own audit events (a searched text, say). */
  masker: Masker;
}
