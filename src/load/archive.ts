// An open web archive (a WARC file or a WACZ) that pages and their images are read from. Each file
// is opened and indexed once per thread and kept for the rest of the run.
import path from 'node:path';
import { ArchiveIndex, indexText, indexWarcFile, readCdx, readRecord, scanWarc, type ArchivedResponse, type IndexedRecord } from './archive-index.js';
import { openZip, type ZipReader } from './zip.js';

/** A page the archive's crawler listed (WACZ `pages/pages.jsonl`, `pages/extraPages.jsonl`). */
export interface ListedPage {
  url: string;
  /** Capture time, ISO 8601, when listed. */
  ts?: string;
  title?: string;
}

/** An archive ready to be read. */
export interface OpenArchive {
  kind: 'warc' | 'wacz';
  file: string;
  index: ArchiveIndex;
  /** The pages a WACZ lists, in order (none for a WARC). */
  pages: ListedPage[];
  /** How the records were found: the WACZ's own CDX index, or a scan of its WARCs. */
  indexedBy: 'cdx' | 'scan';
  /** Reads a capture; a revisit is read from the capture it refers to. */
  response(record: IndexedRecord, maxBytes?: number): Promise<ArchivedResponse>;
}

const opened = new Map<string, Promise<OpenArchive>>();

/** True for the archive files clearcopy reads (`.warc`, `.warc.gz`, `.wacz`). */
export function isArchivePath(file: string): boolean {
  return /\.(warc(\.gz)?|wacz)$/i.test(file);
}

/**
 * Opens (once per thread) and indexes a WARC or WACZ file. The archive keeps the absolute path: it
 * is shared by every caller of the same file, whatever their working directory.
 */
export function openArchive(file: string): Promise<OpenArchive> {
  const key = path.resolve(file);
  let archive = opened.get(key);
  if (!archive) {
    archive = /\.wacz$/i.test(file) ? openWacz(key) : openWarc(key);
    opened.set(key, archive);
    archive.catch(() => opened.delete(key));
  }
  return archive;
}

async function openWarc(file: string): Promise<OpenArchive> {
  const index = await indexWarcFile(file);
  return withResponses({ kind: 'warc', file, index, pages: [], indexedBy: 'scan' }, undefined);
}

/**
 * Opens a WACZ (WACZ 1.1.1): the pages from `pages/pages.jsonl` and `pages/extraPages.jsonl`, the
 * records from `indexes/*.cdx`, `*.cdxj` (gzip or not); when there is no such index (or it names
 * nothing), every WARC under `archive/` is scanned instead.
 */
async function openWacz(file: string): Promise<OpenArchive> {
  const zip = await openZip(file);
  try {
    const names = zip.names();
    const warcs = names.filter((name) => /^archive\/.+\.warc(\.gz)?$/i.test(name));
    const warcByBase = new Map(warcs.map((name) => [path.posix.basename(name), name]));
    const pages: ListedPage[] = [];
    const seenPages = new Set<string>();
    for (const list of ['pages/pages.jsonl', 'pages/extraPages.jsonl']) {
      if (!zip.has(list)) continue;
      for (const line of (await zip.read(list)).toString('utf8').split(/\r?\n/)) {
        if (!line.trim()) continue;
        let entry: { url?: unknown; ts?: unknown; title?: unknown; format?: unknown };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (typeof entry.url !== 'string' || entry.format !== undefined || seenPages.has(entry.url)) continue;
        seenPages.add(entry.url);
        pages.push({
          url: entry.url,
          ...(typeof entry.ts === 'string' && entry.ts ? { ts: normaliseTs(entry.ts) } : {}),
          ...(typeof entry.title === 'string' && entry.title.trim() ? { title: entry.title.trim() } : {}),
        });
      }
    }
    const index = new ArchiveIndex();
    let fromCdx = 0;
    for (const name of names.filter((n) => /^indexes\/.+\.cdxj?(\.gz)?$/i.test(n))) {
      fromCdx += readCdx(indexText(await zip.read(name)), index, (filename) => {
        const entry = warcByBase.get(path.posix.basename(filename));
        return entry ? { file, entry } : undefined;
      });
    }
    if (fromCdx === 0) {
      for (const entry of warcs) await scanWarc(await zip.stream(entry), { file, entry }, index);
    }
    return withResponses({ kind: 'wacz', file, index, pages, indexedBy: fromCdx ? 'cdx' : 'scan' }, zip);
  } catch (error) {
    zip.close();
    throw error;
  }
}

function withResponses(archive: Omit<OpenArchive, 'response'>, zip: ZipReader | undefined): OpenArchive {
  const response = async (record: IndexedRecord, maxBytes?: number): Promise<ArchivedResponse> => {
    if (!record.revisit) return readRecord(record.location, zip, maxBytes);
    // A revisit says "same payload as before": read the closest earlier full capture.
    const original = archive.index.closest(record.revisit.refersTo ?? record.url, record.date, (r) => !r.revisit && r.status === record.status);
    if (!original) throw new Error(`a revisit of ${record.url} whose original capture is not in the archive`);
    const read = await readRecord(original.location, zip, maxBytes);
    return { ...read, url: record.url, date: record.date };
  };
  return { ...archive, response };
}

/** WACZ page times: ISO 8601 as given, or a 14-digit timestamp. */
function normaliseTs(ts: string): string {
  if (/^\d{14}$/.test(ts)) return `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}Z`;
  const time = Date.parse(ts);
  return Number.isNaN(time) ? ts : new Date(time).toISOString().replace(/\.000Z$/, 'Z');
}
