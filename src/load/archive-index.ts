// An index of the records in a web archive (a WARC file, or the WARCs inside a WACZ): URL → the
// captures of it (time, status, media type, where the record is), read from the archive's CDX(J)
// index when it has one, by scanning its WARCs otherwise. Records are read back one at a time with
// webrecorder's warcio.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { WARCParser, type WARCRecord } from 'warcio';
import { timestampToIso } from './wayback.js';
import type { ZipReader } from './zip.js';

/** Where a record's bytes are: a range of a WARC file, or of a WARC inside a WACZ. */
export interface RecordLocation {
  /** The WARC file, or the WACZ holding it. */
  file: string;
  /** The WARC's entry name inside the WACZ (absent for a plain WARC file). */
  entry?: string;
  offset: number;
  length: number;
}

/** One capture of a URL. */
export interface IndexedRecord {
  url: string;
  /** Capture time, ISO 8601. */
  date: string;
  /** HTTP status (200 for `resource` records); 0 when unknown. */
  status: number;
  /** Media type without parameters, lower case ('' when unknown). */
  mime: string;
  /** `revisit` records hold no payload: it is in an earlier capture of `refersTo` (or of `url`). */
  revisit?: { refersTo?: string };
  location: RecordLocation;
}

/** A record's HTTP response, read back. */
export interface ArchivedResponse {
  url: string;
  date: string;
  status: number;
  headers: Headers;
  /** The payload, with transfer and content encodings removed. */
  body: Uint8Array;
}

/** The captures of an archive, by URL. */
export class ArchiveIndex {
  readonly #byUrl = new Map<string, IndexedRecord[]>();

  /** Adds one capture. */
  add(record: IndexedRecord): void {
    const key = urlKey(record.url);
    const list = this.#byUrl.get(key);
    if (list) list.push(record);
    else this.#byUrl.set(key, [record]);
  }

  /** Every capture, in the order they were added. */
  *records(): IterableIterator<IndexedRecord> {
    for (const list of this.#byUrl.values()) yield* list;
  }

  /** The captures of `url` (http and https, with or without `www.` and a trailing slash alike). */
  capturesOf(url: string): IndexedRecord[] {
    return this.#byUrl.get(urlKey(url)) ?? [];
  }

  /**
   * The capture of `url` closest in time to `near` (optional: the latest otherwise), among those
   * `accept` keeps (default: all).
   */
  closest(url: string, near?: string, accept: (record: IndexedRecord) => boolean = () => true): IndexedRecord | undefined {
    const target = near ? Date.parse(near) : Number.POSITIVE_INFINITY;
    let best: IndexedRecord | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const record of this.capturesOf(url)) {
      if (!accept(record)) continue;
      const time = Date.parse(record.date) || 0;
      const distance = Number.isFinite(target) ? Math.abs(time - target) : -time;
      if (best === undefined || distance < bestDistance) {
        best = record;
        bestDistance = distance;
      }
    }
    return best;
  }
}

/**
 * The key captures are filed under: the URL without its fragment, scheme, `www.` or trailing
 * slash, so a page's link to `http://example.com` finds the capture of `https://www.example.com/`.
 */
export function urlKey(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    const host = parsed.hostname.replace(/^www\./, '');
    const port = parsed.port ? `:${parsed.port}` : '';
    return `${host}${port}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url;
  }
}

/**
 * Reads a CDXJ index (`<surt> <timestamp> {json}`, as WACZ 1.1.1 writes it) or a classic CDX
 * (` CDX N b a m s k r M S V g` header) into `index`. `locate` turns the line's `filename` into the
 * record's file and entry. Lines that cannot be read are skipped; returns how many were added.
 */
export function readCdx(text: string, index: ArchiveIndex, locate: (filename: string) => Omit<RecordLocation, 'offset' | 'length'> | undefined): number {
  let added = 0;
  let classicFields: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    if (line.startsWith(' CDX ') || line.startsWith('CDX ')) {
      classicFields = line.trim().split(/\s+/).slice(1);
      continue;
    }
    let fields: Record<string, string> = {};
    let timestamp = '';
    const brace = line.indexOf('{');
    if (brace > 0 && !classicFields) {
      try {
        fields = JSON.parse(line.slice(brace)) as Record<string, string>;
      } catch {
        continue;
      }
      timestamp = line.slice(0, brace).trim().split(/\s+/)[1] ?? '';
    } else if (classicFields) {
      const values = line.split(' ');
      // N: massaged URL, b: date, a: original URL, m: mime, s: status, V: offset, S: length, g: file
      const named: Record<string, string> = {};
      classicFields.forEach((field, i) => { named[field] = values[i] ?? ''; });
      fields = { url: named.a ?? '', mime: named.m ?? '', status: named.s ?? '', offset: named.V ?? '', length: named.S ?? '', filename: named.g ?? '' };
      timestamp = named.b ?? '';
    } else {
      continue;
    }
    const where = fields.filename ? locate(String(fields.filename)) : undefined;
    const offset = Number(fields.offset);
    const length = Number(fields.length);
    if (!where || !fields.url || !Number.isFinite(offset) || !Number.isFinite(length) || length <= 0) continue;
    const mime = String(fields.mime ?? '').toLowerCase();
    index.add({
      url: String(fields.url),
      date: /^\d{4,14}$/.test(timestamp) ? timestampToIso(timestamp) : new Date(0).toISOString(),
      status: Number(fields.status) || 0,
      mime: mime === 'warc/revisit' ? '' : mime.split(';')[0]!.trim(),
      ...(mime === 'warc/revisit' ? { revisit: {} } : {}),
      location: { ...where, offset, length },
    });
    added++;
  }
  return added;
}

/** Decompresses a gzip index, or returns text as it is. */
export function indexText(bytes: Buffer): string {
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * Scans a WARC (plain or gzip, given as a stream) into `index`: every `response`, `resource` and
 * `revisit` record with a target URI. Offsets are those of the stream as given (the compressed
 * member offsets for a .warc.gz).
 */
export async function scanWarc(stream: Readable, where: Omit<RecordLocation, 'offset' | 'length'>, index: ArchiveIndex): Promise<number> {
  const parser = new WARCParser(stream);
  let added = 0;
  for await (const record of parser) {
    const type = record.warcType;
    const url = record.warcTargetURI;
    if (!url || (type !== 'response' && type !== 'resource' && type !== 'revisit')) continue;
    await record.skipFully();
    const contentType = (type === 'resource' ? record.warcContentType : record.httpHeaders?.headers.get('content-type')) ?? '';
    const status = type === 'resource' ? 200 : Number(record.httpHeaders?.statusCode ?? 0);
    const refersTo = record.warcHeader('WARC-Refers-To-Target-URI') ?? undefined;
    index.add({
      url,
      date: record.warcDate ?? new Date(0).toISOString(),
      status,
      mime: contentType.split(';')[0]!.trim().toLowerCase(),
      ...(type === 'revisit' ? { revisit: refersTo ? { refersTo } : {} } : {}),
      location: { ...where, offset: parser.offset, length: parser.recordLength },
    });
    added++;
  }
  return added;
}

/** Builds the index of a plain WARC file by scanning it. */
export async function indexWarcFile(file: string): Promise<ArchiveIndex> {
  const index = new ArchiveIndex();
  await scanWarc(createReadStream(file), { file }, index);
  return index;
}

/**
 * A record's payload with its transfer and content encodings removed: warcio undoes chunking,
 * gzip and deflate; Brotli (`Content-Encoding: br`, common since 2017) is undone here.
 */
export async function payloadOf(record: WARCRecord): Promise<Uint8Array> {
  const body = await record.readFully(true);
  const encoding = record.httpHeaders?.headers.get('content-encoding')?.trim().toLowerCase();
  if (encoding !== 'br') return body;
  try {
    return brotliDecompressSync(body);
  } catch {
    return body; // labelled br but sent as it is
  }
}

/**
 * Reads the record at `location` (`zip` is the open WACZ for a location inside one). Rejects when
 * the bytes there are not a WARC record; `maxBytes` bounds the payload.
 */
export async function readRecord(location: RecordLocation, zip?: ZipReader, maxBytes = 64 * 1024 * 1024): Promise<ArchivedResponse> {
  let bytes: Buffer;
  if (location.entry) {
    if (!zip) throw new Error('a record inside a WACZ needs the open WACZ');
    bytes = await zip.readRange(location.entry, location.offset, location.length);
  } else {
    const handle = await open(location.file, 'r');
    try {
      bytes = Buffer.alloc(location.length);
      const { bytesRead } = await handle.read(bytes, 0, location.length, location.offset);
      bytes = bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const record = await WARCParser.parse([bytes]);
  if (!record) throw new Error(`no WARC record at offset ${location.offset}`);
  const body = await payloadOf(record);
  if (body.byteLength > maxBytes) throw new Error(`${body.byteLength} bytes is over the ${maxBytes}-byte limit`);
  const headers = new Headers();
  if (record.warcType === 'resource') {
    if (record.warcContentType) headers.set('content-type', record.warcContentType);
  } else {
    for (const [name, value] of record.httpHeaders?.headers ?? []) {
      try {
        headers.append(name, value);
      } catch {
        // a header Node will not hold (invalid characters): not one clearcopy reads
      }
    }
  }
  return {
    url: record.warcTargetURI ?? '',
    date: record.warcDate ?? '',
    status: record.warcType === 'resource' ? 200 : Number(record.httpHeaders?.statusCode ?? 0),
    headers,
    body,
  };
}
