// WACZ files made by real crawlers (the shared corpus): pages from pages.jsonl, records through the
// CDX index, or by scanning the WARCs when the index is missing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.js';
import { openArchive } from '../../src/load/archive.js';
import { sourcesFromInputs } from '../../src/load/sources.js';
import { SHARED } from '../helpers.js';

const ARCHIVES = SHARED ? path.join(SHARED, 'corpus', 'archives') : '';
const temp = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-wacz-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe.skipIf(!SHARED)('WACZ input (shared archives)', () => {
  it('reads the pages list and finds each page through the CDX index (py-wacz)', async () => {
    const file = path.join(ARCHIVES, 'py-wacz-example.wacz');
    const archive = await openArchive(file);
    expect(archive.indexedBy).toBe('cdx');
    expect(archive.pages).toEqual([{ url: 'https://example.com/', ts: '2022-01-18T19:00:09Z', title: 'Example Domain' }]);
    const { sources } = await sourcesFromInputs([file]);
    expect(sources.map((s) => s.label)).toEqual([`${file}#https://example.com/`]);
    const page = await sources[0]!.load({});
    expect(page.source).toMatchObject({ archive: 'wacz', originalUrl: 'https://example.com/', capturedAt: '2022-01-18T19:00:09Z', resources: { kind: 'archive', file } });
    expect(extract(page).meta.title).toBe('Example Domain');
  });

  it('refuses a listed page whose capture is an error page, naming it (browsertrix)', async () => {
    const file = path.join(ARCHIVES, 'browsertrix-example.wacz');
    const { sources } = await sourcesFromInputs([file]);
    expect(sources.map((s) => s.label)).toEqual([`${file}#https://example.com/`, `${file}#https://example.com/hello-world`]);
    await expect(sources[0]!.load({})).resolves.toMatchObject({ source: { capturedAt: '2023-10-06T18:54:10Z' } });
    await expect(sources[1]!.load({})).rejects.toThrow(`${file}#https://example.com/hello-world: no article: the archived capture is an error page (HTTP 404)`);
  });

  it('scans the WARCs of a WACZ whose index is missing, and also lists the HTML pages the crawler did not', async () => {
    const file = path.join(ARCHIVES, 'browsertrix-missing-files.wacz');
    const archive = await openArchive(file);
    expect(archive.indexedBy).toBe('scan');
    expect([...archive.index.records()].length).toBe(34);
    const { sources } = await sourcesFromInputs([file]);
    const labels = sources.map((s) => s.label.slice(file.length + 1));
    expect(labels[0]).toBe('https://libraries.mit.edu/sitemap.xml');
    expect(labels).toContain('https://libraries.mit.edu/hello-world/');
    await expect(sources[0]!.load({})).rejects.toThrow(/sitemap\.xml: the archive holds no capture of this page/);
    const hello = await sources[labels.indexOf('https://libraries.mit.edu/hello-world/')]!.load({});
    expect(hello.html).toContain('<html');
  });
});

describe('WACZ input (made-up failures)', () => {
  it('refuses a file that is not a ZIP with one line naming it', async () => {
    const file = path.join(temp, 'broken.wacz');
    writeFileSync(file, 'this is not a zip file at all');
    const { sources } = await sourcesFromInputs([file]);
    expect(sources).toHaveLength(1);
    await expect(sources[0]!.load({})).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable WACZ file`));
  });
});

/** CRC-32 (ZIP's). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP of stored entries, as WACZ writers store their WARCs. */
function zip(entries: Record<string, Uint8Array>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0); header.writeUInt16LE(20, 4); header.writeUInt16LE(20, 6); header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20); header.writeUInt32LE(data.length, 24); header.writeUInt16LE(nameBytes.length, 28); header.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, Buffer.from(data));
    central.push(header, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(entries).length, 8); end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('WACZ input (a WACZ written here: CDXJ index, extra pages, redirects, revisits)', () => {
  const SITE = 'https://news.example.org';
  const PROSE = 'The old swing bridge over the river opened in 1894 and carried carts, trams and finally cars until its gears seized in the cold winter of 1987.';
  const story = (title: string) => `<!DOCTYPE html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></article></body></html>`;
  let file: string;
  beforeAll(async () => {
    const { WARCRecord, WARCSerializer } = await import('warcio');
    const enc = new TextEncoder();
    const records = [
      { url: `${SITE}/bridge.html`, date: '2019-05-14T08:00:00Z', status: '200 OK', type: 'text/html; charset=utf-8', body: story('The bridge reopens') },
      { url: `${SITE}/old-bridge.html`, date: '2019-05-14T08:00:01Z', status: '301 Moved Permanently', type: 'text/html', body: '', headers: { Location: '/bridge.html' } },
      { url: `${SITE}/cafe.html`, date: '2019-05-14T08:00:02Z', status: '200 OK', type: 'text/html', body: story('The café closes') },
      { url: `${SITE}/cafe.html`, date: '2019-06-01T00:00:00Z', status: '200 OK', type: 'text/html', body: '', revisit: true },
    ];
    const parts: Uint8Array[] = [];
    const cdx: string[] = [];
    let offset = 0;
    for (const r of records) {
      const record = WARCRecord.create({
        url: r.url, date: r.date, type: r.revisit ? 'revisit' : 'response', warcVersion: 'WARC/1.1',
        ...(r.revisit ? { refersToUrl: r.url, refersToDate: '2019-05-14T08:00:02Z', warcHeaders: { 'WARC-Profile': 'http://netpreserve.org/warc/1.1/revisit/identical-payload-digest' } } : {}),
        httpHeaders: { 'Content-Type': r.type, ...(r.headers ?? {}) }, statusline: `HTTP/1.1 ${r.status}`,
      }, [enc.encode(r.body)]);
      const bytes = await WARCSerializer.serialize(record, { gzip: true });
      const ts = r.date.replace(/\D/g, '').slice(0, 14);
      cdx.push(`org,example,news)${new URL(r.url).pathname} ${ts} ${JSON.stringify({ url: r.url, mime: r.revisit ? 'warc/revisit' : 'text/html', status: r.status.slice(0, 3), offset: String(offset), length: String(bytes.length), filename: 'data.warc.gz' })}`);
      parts.push(bytes);
      offset += bytes.length;
    }
    const jsonl = (pages: object[]) => enc.encode([JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' }), ...pages.map((p) => JSON.stringify(p))].join('\n'));
    file = path.join(temp, 'made.wacz');
    writeFileSync(file, zip({
      'archive/data.warc.gz': Buffer.concat(parts),
      'indexes/index.cdxj': enc.encode(cdx.sort().join('\n')),
      'pages/pages.jsonl': jsonl([{ url: `${SITE}/old-bridge.html`, ts: '2019-05-14T08:00:01Z', title: 'Old address' }, { url: `${SITE}/bridge.html`, ts: '2019-05-14T08:00:00Z' }]),
      'pages/extraPages.jsonl': jsonl([{ url: `${SITE}/cafe.html`, ts: '2019-06-01T00:00:00Z' }, { url: `${SITE}/never-loaded.html` }]),
      'datapackage.json': enc.encode('{"profile":"data-package","wacz_version":"1.1.1"}'),
    }));
  });

  it('lists pages.jsonl then extraPages.jsonl, one source each, and reads them through the CDXJ index', async () => {
    const archive = await openArchive(file);
    expect(archive.indexedBy).toBe('cdx');
    const { sources } = await sourcesFromInputs([file]);
    expect(sources.map((s) => s.label.slice(file.length + 1))).toEqual([`${SITE}/old-bridge.html`, `${SITE}/bridge.html`, `${SITE}/cafe.html`, `${SITE}/never-loaded.html`]);
    expect(extract(await sources[1]!.load({})).meta.title).toBe('The bridge reopens');
  });

  it('refuses a redirect to a page copied on its own (copied once), and a page never loaded', async () => {
    const { sources } = await sourcesFromInputs([file]);
    await expect(sources[0]!.load({})).rejects.toThrow(`${file}#${SITE}/old-bridge.html: no article: a redirect stub to ${SITE}/bridge.html, which is copied as its own page`);
    await expect(sources[3]!.load({})).rejects.toThrow(`${file}#${SITE}/never-loaded.html: the archive holds no capture of this page (listed by the crawler, never loaded)`);
  });

  it('reads a revisit (the capture closest to the listed time) from the capture it refers to', async () => {
    const { sources } = await sourcesFromInputs([file]);
    const page = await sources[2]!.load({});
    expect(page.source.capturedAt).toBe('2019-06-01T00:00:00Z');
    expect(extract(page).meta.title).toBe('The café closes');
  });
});
