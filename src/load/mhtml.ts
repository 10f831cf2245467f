// MHTML ("Save page as… single file" in Chromium and Edge, SingleFile's MHTML): a MIME
// multipart/related message with the page as one part and each image, stylesheet and frame as a
// part of its own. Parsed with mhtml-to-html (SingleFile's author), which decodes quoted-printable
// and base64 and the page's charset.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, type MHTML } from 'mhtml-to-html';
import { ClearcopyError, describeError } from '../errors.js';
import { DEFAULT_MAX_BYTES, type LoadedPage, type LoadOptions } from './file.js';
import type { PageSource } from './source.js';

/** True for `.mhtml` and `.mht` file names. */
export function isMhtmlPath(file: string): boolean {
  return /\.mht(ml)?$/i.test(file);
}

const parsed = new Map<string, Promise<MHTML>>();

/** Reads and parses an MHTML file (once per thread: its parts are read again for the page's images). */
export function readMhtml(file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<MHTML> {
  const key = path.resolve(file);
  let found = parsed.get(key);
  if (!found) {
    found = (async () => {
      const info = await stat(file);
      if (info.size > maxBytes) throw new ClearcopyError('INPUT_UNREADABLE', `${file}: ${info.size} bytes is over the ${maxBytes}-byte limit (raise it with --max-bytes)`, { file });
      return parse(new Uint8Array(await readFile(file)));
    })();
    parsed.set(key, found);
    found.catch(() => parsed.delete(key));
  }
  return found;
}

/**
 * Loads the page of an MHTML file: its HTML part, decoded, with the address it was saved from and
 * when (the message's `Date`). Rejects with one line naming the file when it is missing, too large
 * or holds no HTML part.
 */
export async function loadMhtml(file: string, options: LoadOptions = {}, shownAs = file): Promise<LoadedPage> {
  let mhtml: MHTML;
  try {
    mhtml = await readMhtml(file, options.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (error) {
    if (error instanceof ClearcopyError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ClearcopyError('INPUT_NOT_FOUND', `${shownAs}: no such file`, { file: shownAs, cause: error });
    throw new ClearcopyError('INPUT_UNREADABLE', `${shownAs}: not a readable MHTML file (${describeError(error)})`, { file: shownAs, cause: error });
  }
  const page = mhtml.index === undefined ? undefined : mhtml.resources[mhtml.index];
  if (!page || !/^(text\/html|application\/xhtml\+xml)\b/i.test(page.contentType ?? '') || page.transferEncoding === 'base64') {
    throw new ClearcopyError('INPUT_NOT_HTML', `${shownAs}: the MHTML file holds no HTML page`, { file: shownAs });
  }
  const headers = lowerKeys(mhtml.headers);
  const savedFrom = [headers['snapshot-content-location'], page.id].find((value) => value && /^https?:/i.test(value));
  const date = headers.date ? Date.parse(headers.date) : Number.NaN;
  const loaded: LoadedPage = {
    html: page.data,
    source: { name: path.basename(file).replace(/\.[^.]+$/, ''), path: shownAs, charset: 'UTF-8', archive: 'mhtml', resources: { kind: 'mhtml', file: path.resolve(file) } },
  };
  if (savedFrom) {
    loaded.source.url = savedFrom;
    loaded.source.originalUrl = savedFrom;
  }
  if (!Number.isNaN(date)) loaded.source.capturedAt = new Date(date).toISOString().replace(/\.000Z$/, 'Z');
  return loaded;
}

/** The page of an MHTML file as a source, labelled `label` (default: the file as given). */
export function mhtmlSource(file: string, label = file, cwd?: string): PageSource {
  return { label, rawName: path.basename(file).replace(/\.[^.]+$/, ''), load: (options) => loadMhtml(cwd ? path.resolve(cwd, file) : file, options, file), ref: { kind: 'mhtml', file } };
}

/** The part of an MHTML file a page refers to by `url` (its Content-Location, or `cid:`), decoded. */
export async function mhtmlPart(file: string, url: string): Promise<{ contentType: string; bytes: Uint8Array } | undefined> {
  const mhtml = await readMhtml(file);
  const id = /^cid:/i.test(url) ? `<${decodeURIComponent(url.slice(4))}>` : url;
  const part = mhtml.resources[id] ?? mhtml.resources[url];
  if (!part || id === mhtml.index) return undefined;
  const bytes = part.transferEncoding === 'base64' ? Buffer.from(part.data, 'base64') : Buffer.from(part.data, 'utf8');
  return { contentType: part.contentType ?? '', bytes };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
