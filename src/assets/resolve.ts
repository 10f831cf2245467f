// Finding a page's resources offline, where the page came from: the web archive (the capture of
// the URL closest in time to the page's), the MHTML file (the part with that Content-Location or
// cid:), or the folder of a saved page. Nothing here goes to the network.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openArchive } from '../load/archive.js';
import { mhtmlPart } from '../load/mhtml.js';
import type { ResourceOrigin } from '../model/document.js';

/** A resource found offline. */
export interface FoundResource {
  bytes: Uint8Array;
  /** The media type its origin gave (not trusted: the bytes are sniffed). */
  contentType: string;
}

/** Redirects followed inside an archive for one resource. */
const MAX_REDIRECTS = 3;

/**
 * The resource at `url` from `origin`, or undefined when the origin does not hold it (or it is
 * larger than `maxBytes`). `near` (optional) is the page's capture time: of several captures of the
 * URL in an archive, the closest to it is taken.
 */
export async function findResource(origin: ResourceOrigin, url: string, options: { near?: string; maxBytes: number }): Promise<FoundResource | undefined> {
  try {
    if (url.startsWith('data:')) return fromDataUrl(url, options.maxBytes);
    switch (origin.kind) {
      case 'archive': return await fromArchive(origin.file, url, options.near, options.maxBytes);
      case 'mhtml': {
        const part = await mhtmlPart(origin.file, url);
        return part && part.bytes.byteLength <= options.maxBytes ? { bytes: part.bytes, contentType: part.contentType } : undefined;
      }
      case 'folder': return await fromFolder(origin.dir, url, options.maxBytes);
    }
  } catch {
    return undefined; // an unreadable record or file is a resource not found, not a failed page
  }
}

async function fromArchive(file: string, url: string, near: string | undefined, maxBytes: number): Promise<FoundResource | undefined> {
  const archive = await openArchive(file);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const record = archive.index.closest(current, near, (r) => (r.status >= 200 && r.status < 400) || Boolean(r.revisit));
    if (!record) return undefined;
    const response = await archive.response(record, maxBytes);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      if (!location) return undefined;
      current = new URL(location, current).href;
      continue;
    }
    return { bytes: response.body, contentType: response.headers.get('content-type') ?? record.mime };
  }
  return undefined;
}

/** A `file:` URL inside `dir` (a saved page's folder and what is under it); nothing outside it. */
async function fromFolder(dir: string, url: string, maxBytes: number): Promise<FoundResource | undefined> {
  if (!url.startsWith('file:')) return undefined;
  const root = path.resolve(dir);
  const file = path.resolve(fileURLToPath(url.replace(/[?#].*$/, '')));
  if (!file.startsWith(root + path.sep)) return undefined;
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const bytes = Buffer.alloc(info.size);
    await handle.read(bytes, 0, info.size, 0);
    return { bytes, contentType: '' };
  } finally {
    await handle.close();
  }
}

function fromDataUrl(url: string, maxBytes: number): FoundResource | undefined {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/is.exec(url);
  if (!match) return undefined;
  const bytes = match[2] ? Buffer.from(match[3]!, 'base64') : Buffer.from(decodeURIComponent(match[3]!), 'utf8');
  return bytes.byteLength <= maxBytes ? { bytes, contentType: match[1] ?? '' } : undefined;
}
