import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActivityConfigError } from '../internal/errors.ts';
import { reportError } from '../internal/report-error.ts';
import { type AuditApiHandler, type AuditApiHandlerWithEntry, SERVE_RELATIVE } from './create-audit-api.ts';

/** The part of a Fastify instance the plugin uses (no dependency on fastify itself). */
export interface FastifyLikeInstance {
  /** The prefix the plugin was registered with (`{ prefix: '/audit' }`). */
  readonly prefix: string;
  all(path: string, handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): unknown }) => void): unknown;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(contentType: string, parser: (request: unknown, payload: IncomingMessage, done: (error: Error | null, body?: unknown) => void) => void): unknown;
}

/** Options of {@link auditApiFastifyPlugin}: the handler from createAuditApi. */
export interface AuditApiFastifyPluginOptions {
  api: AuditApiHandler;
}

/**
 * Mounts the audit API on Fastify: `app.register(auditApiFastifyPlugin, { prefix: '/audit', api })`.
 * Every method under the prefix is handed to the API with the raw request and response
 * (`reply.hijack()`: Fastify does not answer them). The API reads nothing from bodies, so
 * inside the plugin's own context any body is drained unparsed: an empty POST sent with
 * `Content-Type: application/json` is not refused by Fastify's JSON parser.
 *
 * @throws ActivityConfigError when `api` was not made by createAuditApi.
 */
export async function auditApiFastifyPlugin(fastify: FastifyLikeInstance, options: AuditApiFastifyPluginOptions): Promise<void> {
  const serve = (options?.api as AuditApiHandlerWithEntry | undefined)?.[SERVE_RELATIVE];
  if (typeof serve !== 'function') throw new ActivityConfigError('api', typeof options?.api, 'the handler returned by createAuditApi');
  const prefix = fastify.prefix;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => {
    payload.on('error', () => {}).on('end', () => done(null)).resume();
  });
  const handler = (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): unknown }): void => {
    reply.hijack();
    const url = request.raw.url ?? '/';
    const rest = prefix !== '' && url.startsWith(prefix) ? url.slice(prefix.length) : url;
    const relative = rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
    serve(request.raw, reply.raw, relative).catch((error) => reportError('internalErrors', 'audit API', error));
  };
  fastify.all('/', handler);
  fastify.all('/*', handler);
}
