import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The activity type of an HTTP request, from the request and response themselves:
 * `download` when the response is an attachment, `upload` for a multipart body,
 * `form_submission` for a urlencoded form post, `navigation` for a page a browser
 * navigates to (GET accepting text/html), else `api_call`.
 */
export function classifyRequest(req: IncomingMessage, res: ServerResponse): string {
  const disposition = res.getHeader('content-disposition');
  if (typeof disposition === 'string' && /^\s*attachment/i.test(disposition)) return 'download';
  const method = req.method;
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && method !== 'GET' && method !== 'HEAD') {
    if (/^\s*multipart\/form-data/i.test(contentType)) return 'upload';
    if (/^\s*application\/x-www-form-urlencoded/i.test(contentType)) return 'form_submission';
  }
  if ((method === 'GET' || method === 'HEAD') && (req.headers['sec-fetch-mode'] === 'navigate' || req.headers.accept?.includes('text/html'))) {
    return 'navigation';
  }
  return 'api_call';
}

/** The file name of an attachment response (`Content-Disposition: attachment; filename="q3.pdf"`). */
export function attachmentFileName(res: ServerResponse): string | undefined {
  const disposition = res.getHeader('content-disposition');
  if (typeof disposition !== 'string') return undefined;
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}
