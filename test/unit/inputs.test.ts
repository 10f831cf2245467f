// Every input kind through the real loaders: WARC records (warcio), Wayback snapshots, stdin,
// http(s) URLs served by a local server (never the internet), globs and folders.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.js';
import { loadFile } from '../../src/load/file.js';
import { sourcesFromInputs } from '../../src/load/sources.js';
import { renderHtml } from '../../src/render/html.js';
import { loadTemplates } from '../../src/render/templates.js';
import { renderText } from '../../src/render/text.js';
import { fetchPage } from '../../src/load/remote.js';
import { timestampToIso, unwrapWayback } from '../../src/load/wayback.js';
import { FIXTURES, SAMPLES, closeServer, parse } from '../helpers.js';

const WARC = path.join(FIXTURES, 'warc', 'sample.warc.gz');
const WAYBACK = path.join(FIXTURES, 'wayback', 'snapshot.html');
const templates = loadTemplates();

describe('WARC input', () => {
  it('turns each HTML response record into one page and counts what it skips', async () => {
    const { sources, skipped } = await sourcesFromInputs([WARC]);
    expect(sources.map((s) => s.label)).toEqual([`${WARC}#https://news.example.org/2019/05/bridge.html`, `${WARC}#https://news.example.org/2019/05/cafe.html`]);
    expect(skipped).toEqual({ revisit: 1, nonHtml: 1, notOk: 1, other: 0 });
  });
  it('keeps the target URI and capture date as provenance, and decodes with the HTTP charset', async () => {
    const { sources } = await sourcesFromInputs([WARC]);
    const page = await sources[1]!.load({});
    expect(page.source).toMatchObject({ archive: 'warc', charset: 'windows-1252', originalUrl: 'https://news.example.org/2019/05/cafe.html', capturedAt: '2019-05-15T10:00:00Z' });
    const doc = extract(page);
    expect(doc.meta.title).toBe('The café on the corner closes');
    const text = renderText(doc, templates);
    expect(text).toContain('“We will miss it,” said a regular.');
    expect(text).toContain('Captured in a WARC web archive on May 15, 2019.');
  });
  it('gives a clear error for a file that is not a WARC', async () => {
    const { sources } = await sourcesFromInputs([path.join(FIXTURES, 'warc', 'build.mjs').replace(/build\.mjs$/, 'not-a.warc')]);
    await expect(sources[0]!.load({})).rejects.toThrow(/not-a\.warc: no such file/);
  });
});

describe('Wayback Machine snapshots', () => {
  it('removes the toolbar and scripts, restores link targets and reads the capture', async () => {
    const page = await loadFile(WAYBACK);
    expect(page.source).toMatchObject({ archive: 'wayback', capturedAt: '2012-03-14T09:15:22Z', originalUrl: 'https://www.citylight-news.example/2012/03/river-festival.html' });
    expect(page.html).not.toMatch(/wm-ipp|__wm\.|wombat|_static\/|FILE ARCHIVED ON/);
    const html = renderHtml(extract(page), templates);
    const document = parse(html);
    expect(document.querySelector('main a[href*="volunteers"]')?.getAttribute('href')).toBe('https://www.citylight-news.example/2012/02/volunteers.html');
    expect(document.querySelector('figure img')?.getAttribute('src')).toBe('https://web.archive.org/web/20120314091522im_/https://www.citylight-news.example/img/2012/03/boats.jpg');
    expect(document.body.textContent).not.toMatch(/47 captures|Wayback Machine home page|Close the Wayback/);
    expect(document.querySelector('.provenance time')?.getAttribute('datetime')).toBe('2012-03-14T09:15:22Z');
  });
  it('leaves ordinary pages alone', () => {
    expect(unwrapWayback('<html><body><p>Hello</p></body></html>')).toBeUndefined();
    expect(timestampToIso('20160831123456')).toBe('2016-08-31T12:34:56Z');
  });
});

describe('standard input', () => {
  it('reads a page from a stream', async () => {
    const html = '<html lang="en"><head><title>From stdin</title></head><body><article><h1>From stdin</h1><p>' + 'Words read from standard input. '.repeat(10) + '</p></article></body></html>';
    const { sources } = await sourcesFromInputs(['-'], { stdin: Readable.from([Buffer.from(html)]) });
    const page = await sources[0]!.load({});
    expect(sources[0]!.rawName).toBe('stdin');
    expect(extract(page).meta.title).toBe('From stdin');
  });
});

describe('globs and folders', () => {
  it('expands a glob and walks a folder, in a stable order', async () => {
    const glob = await sourcesFromInputs([`${SAMPLES}/*-news.html`]);
    expect(glob.sources.map((s) => path.basename(s.label))).toEqual(['arabic-news.html']);
    const folder = await sourcesFromInputs([SAMPLES]);
    expect(folder.sources.map((s) => path.basename(s.label))).toEqual(['arabic-news.html', 'data-table-guide.html', 'huffpost-india-kerry.html', 'lazy-images-blog.html']);
    const none = await sourcesFromInputs([`${SAMPLES}/*.nothing`]);
    await expect(none.sources[0]!.load({})).rejects.toThrow(/no files match this pattern/);
  });
});

describe('http(s) URLs (local server only)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/story') {
        res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' });
        res.end(Buffer.from('<html lang="en"><head><title>Served</title></head><body><article><h1>Served story</h1><p>\x93Quoted\x94 words. ' + 'More text of the served story. '.repeat(10) + '</p></article></body></html>', 'latin1'));
      } else if (url.startsWith('/loop')) {
        res.writeHead(302, { location: `/loop${Number(url.slice(5) || 0) + 1}` });
        res.end();
      } else if (url === '/to-file') {
        res.writeHead(302, { location: 'file:///etc/passwd' });
        res.end();
      } else if (url === '/big') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<p>' + 'x'.repeat(5000) + '</p>');
      } else if (url === '/image') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.from([0x89, 0x50]));
      } else if (url === '/slow') {
        setTimeout(() => res.end('<p>late</p>'), 2000);
      } else {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => closeServer(server));

  it('fetches a page and decodes it with the Content-Type charset', async () => {
    const page = await fetchPage(`${base}/story`);
    expect(page.source.url).toBe(`${base}/story`);
    expect(page.html).toContain('“Quoted”');
  });
  it.each([
    ['/missing', /the server answered 404/],
    ['/loop', /more than 5 redirects/],
    ['/to-file', /redirected to a non-http address/],
    ['/image', /sent image\/png, not an HTML page/],
  ])('refuses %s with a clear one-line reason', async (url, reason) => {
    await expect(fetchPage(`${base}${url}`)).rejects.toThrow(reason);
  });
  it('enforces the size cap and the timeout', async () => {
    await expect(fetchPage(`${base}/big`, { maxBytes: 1000 })).rejects.toThrow(/over the 1000-byte limit|more than 1000 bytes/);
    await expect(fetchPage(`${base}/slow`, { fetchTimeoutMs: 200 })).rejects.toThrow(/no answer within 200 ms/);
  });
});
