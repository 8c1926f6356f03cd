/** A connection URL fit to print: `postgres://user:pw@db/x` → `postgres://<credentials>@db/x`. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//<credentials>@');
}
