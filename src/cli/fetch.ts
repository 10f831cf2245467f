// Fetching an http(s) page in Node (not in the browser), with a time limit and a size cap, so the
// audit browser only ever gets content and never touches the network.
import { ClearcopyError } from '../errors.js';
import { DEFAULT_MAX_BYTES, loadBytes, type LoadedPage } from '../load/file.js';
import { VERSION } from '../version.js';

/** Options for {@link fetchPage}. */
export interface FetchOptions {
  /** Time allowed for the whole response, in ms (default: 30,000). */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default: 30 MiB). */
  maxBytes?: number;
}

/**
 * GETs an http or https URL (following redirects) and decodes the body as HTML with the charset
 * from Content-Type or the page itself. Rejects with a ClearcopyError naming the URL when the
 * server cannot be reached, answers with a non-2xx status or a non-HTML type, takes longer than
 * `timeoutMs`, or sends more than `maxBytes`.
 */
export async function fetchPage(url: string, options: FetchOptions = {}): Promise<LoadedPage> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);
  const fail = (message: string, cause?: unknown) => new ClearcopyError('INPUT_UNREADABLE', `${url}: ${message}`, cause === undefined ? {} : { cause });
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1', 'user-agent': `clearcopy/${VERSION}` } });
  } catch (error) {
    throw describeFetchError(url, error, timeoutMs);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`the server answered ${response.status} ${response.statusText}`.trim());
  }
  const type = response.headers.get('content-type') ?? '';
  if (type && !/^(text\/html|application\/xhtml\+xml|text\/plain|application\/xml|text\/xml)\b/i.test(type)) {
    await response.body?.cancel().catch(() => undefined);
    throw new ClearcopyError('INPUT_NOT_HTML', `${url}: the server sent ${type.split(';')[0]}, not an HTML page`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw fail(`${declared} bytes is over the ${maxBytes}-byte limit (raise it with --max-bytes)`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = response.body?.getReader();
    for (;;) {
      if (!reader) break;
      const { done, value: chunk } = await reader.read();
      if (done) break;
      size += chunk.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw fail(`the page is over the ${maxBytes}-byte limit (raise it with --max-bytes)`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ClearcopyError) throw error;
    throw describeFetchError(url, error, timeoutMs);
  }
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  const name = new URL(url).pathname.split('/').filter(Boolean).pop()?.replace(/\.[^.]+$/, '') || new URL(url).hostname;
  return loadBytes(Buffer.concat(chunks), { name, url, ...(charset ? { transportCharset: charset } : {}) });
}

function describeFetchError(url: string, error: unknown, timeoutMs: number): ClearcopyError {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ClearcopyError('AUDIT_TIMEOUT', `${url}: no complete answer within ${timeoutMs} ms (raise it with --timeout)`, { cause: error });
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return new ClearcopyError('INPUT_UNREADABLE', `${url}: could not be fetched (${reason})`, { cause: error });
}
