import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { randomUuid } from '../internal/random-uuid.ts';

const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

/**
 * The request id: the client's `x-request-id` when it is a sane token (letters,
 * digits, `._:-`, at most 128 characters; anything else could inject into logs), else
 * a new random UUID.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUuid();
}

/**
 * The client address: the socket's peer, or the first `x-forwarded-for` entry when
 * the app says its proxy is trusted (`ACTIVITY_TRUST_PROXY`). IPv4-mapped IPv6
 * addresses are shown as IPv4.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  const socket = req.socket as (Socket & { [kPeerAddress]?: string }) | null | undefined;
  if (socket === undefined || socket === null) return undefined;
  // Once per connection, not once per request of a kept-alive one.
  let address = socket[kPeerAddress];
  if (address === undefined) {
    address = socket.remoteAddress;
    if (address === undefined) return undefined;
    socket[kPeerAddress] = address = address.startsWith('::ffff:') ? address.slice(7) : address;
  }
  return address;
}

const kPeerAddress: unique symbol = Symbol('otel-activity.peerAddress');

/**
 * The session id from the session cookie, as a digest: a session cookie is a
 * credential, so its value is never logged. The digest (first 16 hex characters of
 * its SHA-256) still ties a session's records together.
 */
export function sessionDigestFromCookies(cookieHeader: string | undefined, names: readonly string[]): string | undefined {
  if (cookieHeader === undefined || names.length === 0) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (names.includes(name)) {
      const value = part.slice(eq + 1).trim();
      if (value !== '') return sessionDigest(value);
    }
  }
  return undefined;
}

/** The digest shown in place of a session credential. */
export function sessionDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** Splits `req.url` into path and query (also for absolute-form request targets). */
export function splitUrl(url: string | undefined): { path: string; query: string | undefined } {
  if (url === undefined || url === '') return { path: '/', query: undefined };
  let target = url;
  if (target[0] !== '/') {
    try {
      const parsed = new URL(target);
      target = parsed.pathname + parsed.search;
    } catch {
      return { path: url, query: undefined };
    }
  }
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: undefined } : { path: target.slice(0, q), query: target.slice(q + 1) || undefined };
}
