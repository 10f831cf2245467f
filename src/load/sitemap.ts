// Page lists for `clearcopy audit`: XML sitemaps (sitemaps.org 0.9: <urlset> of <url><loc>, and
// <sitemapindex> of <sitemap><loc>), gzipped or not, from a URL or a file; and plain URL lists.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { ClearcopyError, describeError } from '../errors.js';
import { isHttpUrl } from './remote.js';

/** Options for {@link urlsFromSitemap}; the patterns mean what pa11y-ci's flags of the same names mean. */
export interface SitemapOptions {
  /** A regular expression (case-insensitive) replaced in every address (`--sitemap-find`). */
  find?: string;
  /** Its replacement, `$1` etc. allowed (`--sitemap-replace`; default: empty). */
  replace?: string;
  /** Pages whose address matches this regular expression (case-insensitive) are left out (`--sitemap-exclude`). */
  exclude?: string;
  /** Time allowed to fetch one sitemap, in ms (default: 20,000). */
  timeoutMs?: number;
  /** Largest sitemap read, in bytes, after decompression (default: 50 MiB, the protocol's limit). */
  maxBytes?: number;
}

/** Sitemap indexes nest at most this deep (the protocol allows one level; a loop must end). */
const MAX_DEPTH = 4;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

/**
 * The page addresses of a sitemap (a URL or a file; gzip is recognised by its magic bytes, not the
 * name), following sitemap indexes. `find`/`replace` apply to every address, nested sitemaps' too
 * (so a production index can point at staging), before `exclude` is tested on page addresses.
 * Addresses in a local sitemap that are not URLs are paths relative to it. Throws
 * `INPUT_UNREADABLE` naming the sitemap when one cannot be fetched, unpacked or parsed.
 */
export async function urlsFromSitemap(location: string, options: SitemapOptions = {}): Promise<string[]> {
  const find = options.find ? pattern(options.find, '--sitemap-find') : undefined;
  const exclude = options.exclude ? pattern(options.exclude, '--sitemap-exclude') : undefined;
  const rewrite = (address: string) => (find ? address.replace(find, options.replace ?? '') : address);
  const seen = new Set<string>();
  const urls: string[] = [];
  const visit = async (where: string, depth: number): Promise<void> => {
    if (seen.has(where)) return;
    seen.add(where);
    const document = parse(await readSitemap(where, options), where);
    const base = isHttpUrl(where) ? undefined : path.dirname(path.resolve(where));
    const resolve = (loc: string) => (base && !/^[a-z][a-z0-9+.-]*:/i.test(loc) ? path.resolve(base, loc) : loc);
    if (document.kind === 'index') {
      if (depth >= MAX_DEPTH) throw new ClearcopyError('INPUT_UNREADABLE', `${where}: sitemap indexes nest more than ${MAX_DEPTH} deep`);
      for (const loc of document.locations) await visit(resolve(rewrite(loc)), depth + 1);
      return;
    }
    for (const loc of document.locations) {
      const address = resolve(rewrite(loc));
      if (exclude?.test(address)) continue;
      if (!urls.includes(address)) urls.push(address);
    }
  };
  await visit(location, 0);
  return urls;
}

/**
 * The entries of a URL list: one URL or path a line; blank lines and lines starting with `#` are
 * skipped; paths are relative to the list's folder.
 */
export async function urlsFromList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${file}: the URL list could not be read (${describeError(error)})`, { cause: error });
  }
  const dir = path.dirname(path.resolve(file));
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
    .map((entry) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : path.resolve(dir, entry)));
}

function pattern(source: string, flag: string): RegExp {
  try {
    // pa11y-ci's flags: `new RegExp(pattern, 'gi')`.
    return new RegExp(source, 'gi');
  } catch (error) {
    throw new ClearcopyError('USAGE', `clearcopy: ${flag} "${source}" is not a regular expression (${describeError(error)})`);
  }
}

async function readSitemap(where: string, options: SitemapOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    if (isHttpUrl(where)) {
      const response = await fetch(where, { signal: AbortSignal.timeout(options.timeoutMs ?? 20_000), headers: { 'user-agent': 'clearcopy (accessibility audit)' } });
      if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`.trim());
      bytes = Buffer.from(await response.arrayBuffer());
    } else {
      bytes = await readFile(where.startsWith('file:') ? new URL(where) : where);
    }
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${where}: the sitemap could not be read (${describeError(error).replace(/^.*?ENOENT: /, '')})`, { cause: error });
  }
  if (bytes.length > maxBytes) throw new ClearcopyError('INPUT_UNREADABLE', `${where}: the sitemap is over ${maxBytes} bytes`);
  return bytes.toString('utf8');
}

function parse(xml: string, where: string): { kind: 'urlset' | 'index'; locations: string[] } {
  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(xml, true) as Record<string, unknown>;
  } catch (error) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${where}: not a readable sitemap (${describeError(error).split('\n')[0]})`, { cause: error });
  }
  const locations = (entries: unknown): string[] => (Array.isArray(entries) ? entries : [])
    .map((entry) => (entry && typeof entry === 'object' ? (entry as { loc?: unknown }).loc : undefined))
    .filter((loc): loc is string => typeof loc === 'string' && loc.length > 0);
  const urlset = tree.urlset as { url?: unknown } | '' | undefined;
  const index = tree.sitemapindex as { sitemap?: unknown } | '' | undefined;
  if (urlset !== undefined) return { kind: 'urlset', locations: locations(urlset === '' ? [] : urlset.url) };
  if (index !== undefined) return { kind: 'index', locations: locations(index === '' ? [] : index.sitemap) };
  throw new ClearcopyError('INPUT_UNREADABLE', `${where}: not a sitemap (no <urlset> or <sitemapindex>)`);
}
