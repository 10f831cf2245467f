import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { WARCParser } from 'warcio';
import { ClearcopyError, describeError } from '../errors.js';
import { DEFAULT_MAX_BYTES, loadBytes, type LoadOptions } from './file.js';
import type { PageSource } from './source.js';

/** What reading a WARC found: one source per HTML response, and counts of what was skipped. */
export interface WarcListing {
  sources: PageSource[];
  skipped: { revisit: number; nonHtml: number; notOk: number; other: number };
}

/** True for `.warc` and `.warc.gz` file names. */
export function isWarcPath(file: string): boolean {
  return /\.warc(\.gz)?$/i.test(file);
}

/**
 * Lists a WARC or WARC.gz (Heritrix, wget --warc-file, Browsertrix, Webrecorder) with webrecorder's
 * warcio: every successful HTML `response` record becomes a page source carrying its target URI and
 * capture date; revisit, non-HTML and non-2xx records are skipped and counted. Only offsets are kept,
 * so a large archive is read one record at a time.
 */
export async function listWarc(file: string): Promise<WarcListing> {
  const skipped = { revisit: 0, nonHtml: 0, notOk: 0, other: 0 };
  const found: { offset: number; length: number; uri: string; date: string | undefined }[] = [];
  try {
    const parser = new WARCParser(createReadStream(file));
    for await (const record of parser) {
      const type = record.warcType;
      if (type === 'revisit') skipped.revisit++;
      else if (type !== 'response' && type !== 'resource') { if (type !== 'warcinfo' && type !== 'request' && type !== 'metadata') skipped.other++; }
      else {
        const status = Number(record.httpHeaders?.statusCode ?? 200);
        const contentType = (type === 'resource' ? record.warcContentType : record.httpHeaders?.headers.get('content-type')) ?? '';
        if (!/\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) skipped.nonHtml++;
        else if (status < 200 || status > 299) skipped.notOk++;
        else {
          await record.skipFully();
          found.push({ offset: parser.offset, length: parser.recordLength, uri: record.warcTargetURI ?? '', date: record.warcDate ?? undefined });
        }
      }
    }
  } catch (error) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${file}: not a readable WARC file (${describeError(error)})`, { file, cause: error });
  }
  const base = path.basename(file).replace(/\.warc(\.gz)?$/i, '');
  const sources = found.map((entry, index): PageSource => ({
    label: `${file}#${entry.uri || `record-${index + 1}`}`,
    rawName: `${base}-${nameFromUrl(entry.uri) || `record-${index + 1}`}`,
    load: (options) => loadWarcRecord(file, entry, options),
    ref: { kind: 'warc', file, offset: entry.offset, length: entry.length, uri: entry.uri, ...(entry.date ? { date: entry.date } : {}) },
  }));
  return { sources, skipped };
}

/** Reads one record of a WARC from its offset and length (as {@link listWarc} found them). */
export async function loadWarcRecord(file: string, entry: { offset: number; length: number; uri: string; date?: string | undefined }, options: LoadOptions, label = `${file}#${entry.uri}`) {
  const handle = await open(file, 'r');
  let bytes: Uint8Array;
  try {
    const buffer = Buffer.alloc(entry.length);
    await handle.read(buffer, 0, entry.length, entry.offset);
    const record = await WARCParser.parse([buffer]);
    if (!record) throw new Error('record not found at its offset');
    bytes = await record.readFully(true);
    if (bytes.byteLength > (options.maxBytes ?? DEFAULT_MAX_BYTES)) throw new ClearcopyError('INPUT_UNREADABLE', `${label}: ${bytes.byteLength} bytes is over the size limit (raise it with --max-bytes)`);
    const contentType = record.httpHeaders?.headers.get('content-type') ?? '';
    const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
    const page = loadBytes(bytes, { name: label, label, ...(entry.uri ? { url: entry.uri } : {}), ...(charset ? { transportCharset: charset } : {}) });
    page.source.archive = 'warc';
    if (entry.uri) page.source.originalUrl = entry.uri;
    if (entry.date) page.source.capturedAt = entry.date;
    return page;
  } catch (error) {
    if (error instanceof ClearcopyError) throw error;
    throw new ClearcopyError('INPUT_UNREADABLE', `${label}: the WARC record cannot be read (${describeError(error)})`, { cause: error });
  } finally {
    await handle.close();
  }
}

/** A short name from a URL's last path segments ("2019/05/bridge.html" → "bridge"). */
export function nameFromUrl(url: string): string {
  try {
    const { pathname, hostname } = new URL(url);
    const last = pathname.split('/').filter(Boolean).pop()?.replace(/\.[a-z0-9]{1,5}$/i, '');
    return last || hostname;
  } catch {
    return '';
  }
}
