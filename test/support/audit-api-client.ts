import { request } from 'node:http';

/** An answer of the audit API, read completely (trailers included). */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  trailers: Record<string, string | undefined>;
  body: string;
  /** The body parsed as JSON. */
  json<T = any>(): T;
  /** True when the body ended cleanly (false when the server cut the connection). */
  complete: boolean;
}

/** Test callers: the test `authorize` hook trusts these headers (a real app would check a session or token). */
export function as(tenantId: string | undefined, role = 'viewer', userId = `user-of-${tenantId ?? 'none'}`): Record<string, string> {
  const headers: Record<string, string> = { 'x-test-role': role, 'x-test-user': userId };
  if (tenantId !== undefined) headers['x-test-tenant'] = tenantId;
  return headers;
}

/** Sends one request with node:http (fetch cannot read trailers) and reads the whole answer. */
export function call(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const done = (complete: boolean) => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          trailers: res.trailers,
          body,
          json: () => JSON.parse(body),
          complete,
        });
      };
      res.on('end', () => done(true));
      res.on('aborted', () => done(false));
      res.on('error', () => done(false));
    });
    req.on('error', reject);
    req.end();
  });
}
