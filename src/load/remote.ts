import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_REDIRECTS } from '../defaults.js';
import { ClearcopyError, describeError } from '../errors.js';
import { DEFAULT_MAX_BYTES, loadBytes, type LoadedPage, type LoadOptions } from './file.js';
import { nameFromUrl } from './warc.js';
import type { PageSource } from './source.js';

/** Options for fetching pages over http(s). */
export interface FetchOptions extends LoadOptions {
  /** Time allowed for the whole request, in ms (default: 20,000). */
  fetchTimeoutMs?: number;
  /** Redirects followed before giving up (default: 5). */
  maxRedirects?: number;
}

/** True for http: and https: URLs. */
export function isHttpUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** A page source that fetches an http(s) URL when the run asks for it. */
export function urlSource(url: string, options: FetchOptions = {}): PageSource {
  return { label: url, rawName: nameFromUrl(url) || 'page', load: (loadOptions) => fetchPage(url, { ...options, ...loadOptions }), ref: { kind: 'url', url } };
}

/**
 * Fetches one page with a timeout, a size cap and a limit on redirects (followed by hand, so each hop
 * is checked to stay on http/https), then decodes it with the charset from the Content-Type header.
 */
export async function fetchPage(url: string, options: FetchOptions = {}): Promise<LoadedPage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const signal = AbortSignal.timeout(options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, { redirect: 'manual', signal, headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1', 'user-agent': 'clearcopy (accessible archive copies)' } });
      if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
        if (hop >= maxRedirects) throw new ClearcopyError('INPUT_UNREADABLE', `${url}: more than ${maxRedirects} redirects`);
        const next = new URL(response.headers.get('location')!, current);
        if (!/^https?:$/.test(next.protocol)) throw new ClearcopyError('INPUT_UNREADABLE', `${url}: redirected to a non-http address (${next.protocol})`);
        current = next.href;
        await response.body?.cancel();
        continue;
      }
      if (!response.ok) throw new ClearcopyError('INPUT_UNREADABLE', `${url}: the server answered ${response.status} ${response.statusText}`.trim());
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType && !/\b(text\/html|application\/xhtml\+xml|text\/plain)\b/i.test(contentType)) {
        await response.body?.cancel();
        throw new ClearcopyError('INPUT_NOT_HTML', `${url}: the server sent ${contentType.split(';')[0]}, not an HTML page`);
      }
      const declared = Number(response.headers.get('content-length'));
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw new ClearcopyError('INPUT_UNREADABLE', `${url}: ${declared} bytes is over the ${maxBytes}-byte limit (raise it with --max-bytes)`);
      }
      const bytes = await readCapped(response, maxBytes, url);
      const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
      return loadBytes(bytes, { name: nameFromUrl(current) || 'page', url: current, label: url, ...(charset ? { transportCharset: charset } : {}) });
    }
  } catch (error) {
    if (error instanceof ClearcopyError) throw error;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS} ms` : describeError((error as { cause?: unknown }).cause ?? error);
    throw new ClearcopyError('INPUT_UNREADABLE', `${url}: could not be fetched (${reason})`, { cause: error });
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    total += chunk.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ClearcopyError('INPUT_UNREADABLE', `${url}: more than ${maxBytes} bytes (raise the limit with --max-bytes)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
