import path from 'node:path';
import { ClearcopyError, describeError } from '../errors.js';
import { urlKey, type IndexedRecord } from './archive-index.js';
import { openArchive, type OpenArchive } from './archive.js';
import { DEFAULT_MAX_BYTES, loadBytes, type LoadedPage, type LoadOptions } from './file.js';
import type { PageSource } from './source.js';
import { nameFromUrl } from './warc.js';

/** Redirects followed inside an archive before giving up. */
const MAX_REDIRECTS = 5;

/** True for `.wacz` file names. */
export function isWaczPath(file: string): boolean {
  return /\.wacz$/i.test(file);
}

/**
 * Lists the pages of a WACZ: one source per page its crawler listed (`pages/pages.jsonl` and
 * `pages/extraPages.jsonl`, labelled `file.wacz#<url>`), then one per other HTML capture with a 2xx
 * status. Rejects when the file is not a readable WACZ.
 */
export async function listWacz(file: string): Promise<PageSource[]> {
  const archive = await openWaczFile(file);
  const base = path.basename(file).replace(/\.wacz$/i, '');
  const { pages, listed } = pagesOf(archive);
  return pages.map((page): PageSource => ({
    label: `${file}#${page.url}`,
    rawName: `${base}-${nameFromUrl(page.url) || 'page'}`,
    load: (options) => loadArchivedPage(archive, page.url, page.ts, { ...options, label: `${file}#${page.url}`, listed }),
    ref: { kind: 'wacz', file, url: page.url, ...(page.ts ? { ts: page.ts } : {}) },
  }));
}

/**
 * Loads one page of a WACZ by its address and listed capture time (what a queue job carries),
 * as {@link listWacz}'s source for it would; `file` is where to read it, `label` names it.
 */
export async function loadWaczPage(file: string, url: string, ts: string | undefined, options: LoadOptions, label: string): Promise<LoadedPage> {
  const archive = await openWaczFile(file);
  return loadArchivedPage(archive, url, ts, { ...options, label, listed: pagesOf(archive).listed });
}

async function openWaczFile(file: string): Promise<OpenArchive> {
  try {
    return await openArchive(file);
  } catch (error) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${file}: not a readable WACZ file (${describeError(error)})`, { file, cause: error });
  }
}

const pagesByArchive = new WeakMap<OpenArchive, { pages: { url: string; ts?: string }[]; listed: ReadonlySet<string> }>();

/**
 * The listed pages first; then HTML captures the list does not name (a crawl cut short lists only
 * its seeds, as in a WACZ whose index is missing), each URL once.
 */
function pagesOf(archive: OpenArchive): { pages: { url: string; ts?: string }[]; listed: ReadonlySet<string> } {
  let found = pagesByArchive.get(archive);
  if (found) return found;
  const pages: { url: string; ts?: string }[] = [...archive.pages];
  const seen = new Set(pages.map((page) => urlKey(page.url)));
  for (const record of archive.index.records()) {
    if (record.revisit || !isHtml(record.mime) || record.status < 200 || record.status > 299 || record.status === 204 || seen.has(urlKey(record.url))) continue;
    seen.add(urlKey(record.url));
    pages.push({ url: record.url, ts: record.date });
  }
  found = { pages, listed: new Set(pages.map((page) => urlKey(page.url))) };
  pagesByArchive.set(archive, found);
  return found;
}

/**
 * Loads the capture of `url` closest to `near` from an archive as a page: a redirect is followed to
 * its target when the archive holds it (and refused when the target is a page of its own, so it is
 * copied once); a missing capture, an error status or a capture that is not HTML is refused with
 * one line naming the page.
 */
export async function loadArchivedPage(
  archive: OpenArchive,
  url: string,
  near: string | undefined,
  options: LoadOptions & { label: string; listed?: ReadonlySet<string> },
): Promise<LoadedPage> {
  const { label } = options;
  const notHere = (message: string, code: 'INPUT_NOT_FOUND' | 'INPUT_NOT_HTML' | 'NO_ARTICLE' = 'INPUT_NOT_FOUND') => new ClearcopyError(code, `${label}: ${message}`, { file: archive.file });
  let current = url;
  let record: IndexedRecord | undefined;
  for (let hop = 0; ; hop++) {
    record = archive.index.closest(current, near, (r) => r.status !== 0 || Boolean(r.revisit)) ?? archive.index.closest(current, near);
    if (!record) {
      throw hop === 0
        ? notHere('the archive holds no capture of this page (listed by the crawler, never loaded)')
        : notHere(`no article: a redirect stub to ${current}, which the archive does not hold`, 'NO_ARTICLE');
    }
    if (record.status < 300 || record.status > 399) break;
    const response = await archive.response(record, 1024 * 1024).catch(() => undefined);
    const location = response?.headers.get('location');
    const target = location ? safeUrl(location, current) : undefined;
    if (!target || hop >= MAX_REDIRECTS) throw notHere(`no article: a redirect stub (HTTP ${record.status}) with no archived target`, 'NO_ARTICLE');
    if (hop === 0 && options.listed?.has(urlKey(target)) && urlKey(target) !== urlKey(url)) {
      throw notHere(`no article: a redirect stub to ${target}, which is copied as its own page`, 'NO_ARTICLE');
    }
    current = target;
  }
  if (record.status >= 400 || (record.status !== 0 && record.status < 200)) {
    throw notHere(`no article: the archived capture is an error page (HTTP ${record.status})`, 'NO_ARTICLE');
  }
  if (record.mime && !isHtml(record.mime)) throw notHere(`the archived capture is ${record.mime}, not an HTML page`, 'INPUT_NOT_HTML');
  let bytes: Uint8Array;
  let contentType: string;
  try {
    const response = await archive.response(record, options.maxBytes ?? DEFAULT_MAX_BYTES);
    bytes = response.body;
    contentType = response.headers.get('content-type') ?? '';
  } catch (error) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${label}: the archived record cannot be read (${describeError(error)})`, { file: archive.file, cause: error });
  }
  if (contentType && !isHtml(contentType.split(';')[0]!.trim().toLowerCase())) throw notHere(`the archived capture is ${contentType.split(';')[0]}, not an HTML page`, 'INPUT_NOT_HTML');
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  const page = loadBytes(bytes, { name: label, label, url: current, ...(charset ? { transportCharset: charset } : {}) });
  page.source.archive = archive.kind;
  page.source.originalUrl = current;
  page.source.capturedAt = record.date;
  page.source.resources = { kind: 'archive', file: path.resolve(archive.file) };
  refuseArchivedStub(page, archive, label);
  return page;
}

/**
 * A page of an archive that only sends its reader elsewhere (`<meta http-equiv="refresh">` and
 * little text) is refused here, naming where it goes: its target is copied as a page of its own
 * when the archive holds it (every HTML capture is one), so it is copied once.
 */
export function refuseArchivedStub(page: LoadedPage, archive: OpenArchive, label: string): void {
  const target = stubTarget(page.html, page.source.url);
  if (!target) return;
  const held = archive.index.closest(target, page.source.capturedAt, (r) => isHtml(r.mime) && r.status >= 200 && r.status < 400);
  throw new ClearcopyError('NO_ARTICLE', `${label}: no article: a redirect stub to ${target}, ${held ? 'which is copied as its own page' : 'which the archive does not hold'}`, { file: archive.file });
}

/** The target of a page that redirects at once (meta refresh within 10 s) and says little else. */
export function stubTarget(html: string, base: string | undefined): string | undefined {
  const meta = /<meta\b[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*>/i.exec(html)?.[0];
  const content = meta ? /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(meta) : undefined;
  const match = content ? /^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*url\s*=\s*['"]?([^'"]+)/i.exec(content[1] ?? content[2] ?? '') : undefined;
  if (!match || Number(match[1] ?? 0) > 10) return undefined;
  const text = html.replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  if (text.length >= 600) return undefined;
  return safeUrl(match[2]!.trim(), base ?? 'about:blank');
}

function isHtml(mime: string): boolean {
  return mime === 'text/html' || mime === 'application/xhtml+xml';
}

function safeUrl(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
