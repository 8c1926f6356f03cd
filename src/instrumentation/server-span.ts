import type { IncomingMessage } from 'node:http';
import { type Attributes, type Context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { TextCleaner } from '../records/create-text-cleaner.ts';
import { clientAddressOf, splitUrl } from './request-facts.ts';

/**
 * Starts the SERVER span of a request, the way OpenTelemetry's HTTP instrumentation
 * does (W3C trace context from the headers, the HTTP semantic-convention attributes),
 * but from otel-activity's own request wrapper, which already sees the request start
 * and end: cheaper, and the same span ids land on the activity records.
 *
 * @returns the span and the context to run the handler in.
 */
export function startServerSpan(tracer: Tracer, req: IncomingMessage, clean: TextCleaner, trustProxy: boolean): { span: Span; context: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  // The samplers of OTEL_TRACES_SAMPLER decide on the trace id and the parent, not on
  // attributes: a span that is not sampled costs no attribute work.
  const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
  if (span.isRecording()) span.setAttributes(requestAttributes(req, method, clean, trustProxy));
  return { span, context: trace.setSpan(parent, span) };
}

/** The HTTP semantic-convention attributes of a request's SERVER span (strings cleaned). */
function requestAttributes(req: IncomingMessage, method: string, clean: TextCleaner, trustProxy: boolean): Attributes {
  const { path, query } = splitUrl(req.url);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http',
    'url.path': clean(path),
    'network.protocol.version': req.httpVersion,
  };
  if (query !== undefined) attributes['url.query'] = clean(query);
  const host = req.headers.host;
  if (host !== undefined) {
    const colon = host.lastIndexOf(':');
    const bracket = host.lastIndexOf(']');
    if (colon > bracket) {
      attributes['server.address'] = clean(host.slice(0, colon));
      attributes['server.port'] = Number(host.slice(colon + 1));
    } else attributes['server.address'] = clean(host);
  }
  const client = clientAddressOf(req, trustProxy);
  if (client !== undefined) attributes['client.address'] = clean(client);
  const peer = req.socket?.remoteAddress;
  if (peer !== undefined) attributes['network.peer.address'] = peer;
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = clean(userAgent);
  return attributes;
}

/**
 * Ends a request's SERVER span with its outcome: route (and name), status, error. Like
 * every string otel-activity puts on the span, the exception's are cleaned (masked and
 * bounded) here; MaskingSpanExporter masks the span again on export, for what the app
 * added to it.
 */
export function endServerSpan(span: Span, clean: TextCleaner, outcome: { method: string; route?: string; status?: number; error?: unknown; errorType?: string }): void {
  if (!span.isRecording()) {
    span.end();
    return;
  }
  if (outcome.route !== undefined) {
    span.setAttribute('http.route', outcome.route);
    span.updateName(`${outcome.method} ${outcome.route}`);
  }
  if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
  if (outcome.errorType !== undefined) span.setAttribute('error.type', outcome.errorType);
  // Server spans are errors only for 5xx and failures (4xx is the client's mistake).
  if (outcome.error !== undefined || (outcome.status !== undefined && outcome.status >= 500) || outcome.status === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    if (outcome.error instanceof Error) span.addEvent('exception', exceptionAttributes(outcome.error, clean));
  }
  span.end();
}

/** The attributes `Span#recordException` gives an Error, cleaned. */
function exceptionAttributes(error: Error, clean: TextCleaner): Attributes {
  const attributes: Attributes = {};
  const code = (error as { code?: unknown }).code;
  const type = code ? String(code) : error.name;
  if (type) attributes['exception.type'] = clean(type);
  if (error.message) attributes['exception.message'] = clean(error.message);
  if (error.stack) attributes['exception.stacktrace'] = clean(error.stack);
  return attributes;
}
