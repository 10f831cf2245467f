// Pages and their images read back from a web archive (a WARC written here with webrecorder's
// warcio): each image is the capture of its URL closest in time to the page's (srcset candidates
// too), raster images kept by their bytes, SVG made inert, anything else left out with its words;
// redirect stubs refused with the address they send to, copied once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { WARCRecord, WARCSerializer } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizeImages, rasterExtension } from '../../src/assets/localize.js';
import { sanitizeSvg } from '../../src/assets/svg.js';
import { extract } from '../../src/extract/index.js';
import { sourcesFromInputs } from '../../src/load/sources.js';
import { renderHtml } from '../../src/render/html.js';
import { loadTemplates } from '../../src/render/templates.js';
import { forEachBlock } from '../../src/model/text.js';
import type { ClearDoc, FigureBlock } from '../../src/model/document.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-archive-pages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A real PNG of `width`×`height` pixels of one grey level. */
function png(width: number, height: number, grey: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (bytes: Buffer) => { let c = 0xffffffff; for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.from([0, ...new Array<number>(width).fill(grey)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const PROSE = 'The old swing bridge over the river opened in 1894 and carried carts, trams and finally cars until its gears seized in the cold winter of 1987, and the council has now agreed to restore it.';
const SITE = 'https://news.example.org';
const story = (figures: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The bridge reopens</title></head><body><article><h1>The bridge reopens</h1><p>${PROSE}</p>${figures}<p>${PROSE}</p><p>${PROSE}</p></article></body></html>`;
const EARLY = png(120, 80, 40);
const LATE = png(120, 80, 200);
const WIDE = png(300, 100, 90);
const SVG = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)"><rect width="120" height="60" fill="#336"/></a><image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject><style>@import url(https://evil.example/a.css); rect { fill: url(https://evil.example/p.svg); }</style></svg>`;

let warc: string;
beforeAll(async () => {
  const enc = new TextEncoder();
  const response = (url: string, date: string, type: string, body: Uint8Array, status = 'HTTP/1.1 200 OK', headers: Record<string, string> = {}) =>
    WARCRecord.create({ url, date, type: 'response', warcVersion: 'WARC/1.1', httpHeaders: { 'Content-Type': type, ...headers }, statusline: status }, [body]);
  const records = [
    response(`${SITE}/photo.png`, '2019-01-01T00:00:00Z', 'image/png', EARLY),
    response(`${SITE}/2019/05/bridge.html`, '2019-05-14T08:00:00Z', 'text/html; charset=utf-8', enc.encode(story(`
<figure><img src="/photo.png" alt="The bridge from the north bank"><figcaption>The bridge in May.</figcaption></figure>
<figure><img src="/small-gone.png" srcset="/small-gone.png 320w, /wide.png 960w" alt="The deck being lifted" width="300" height="100"></figure>
<figure><img src="/drawing.svg" alt="A drawing of the new deck" width="300" height="200"><figcaption>The new deck, as drawn.</figcaption></figure>
<figure><img src="/not-an-image.png" alt="Workers in 1987" width="300" height="200"><figcaption>Workers in 1987. Photo: Archive</figcaption></figure>`))),
    response(`${SITE}/photo.png`, '2019-05-14T08:00:05Z', 'image/png', LATE),
    response(`${SITE}/wide.png`, '2019-05-14T08:00:06Z', 'image/png', WIDE),
    response(`${SITE}/drawing.svg`, '2019-05-14T08:00:07Z', 'image/svg+xml', enc.encode(SVG)),
    response(`${SITE}/not-an-image.png`, '2019-05-14T08:00:08Z', 'image/png', enc.encode('<html><script>alert(1)</script></html>')),
    response(`${SITE}/old-bridge.html`, '2019-05-14T08:01:00Z', 'text/html', enc.encode(`<html><head><title>Redirecting…</title><meta http-equiv="refresh" content="0; url=${SITE}/2019/05/bridge.html"></head><body><p>Redirecting…</p></body></html>`)),
    response(`${SITE}/gone-story.html`, '2019-05-14T08:02:00Z', 'text/html', enc.encode('<html><head><meta http-equiv="refresh" content="1;URL=\'/elsewhere.html\'"></head><body><p>This page has moved.</p></body></html>')),
  ];
  const parts: Uint8Array[] = [];
  for (const record of records) parts.push(await WARCSerializer.serialize(record, { gzip: true }));
  warc = path.join(work, 'site.warc.gz');
  writeFileSync(warc, Buffer.concat(parts));
});

const figuresOf = (doc: ClearDoc) => {
  const figures: FigureBlock[] = [];
  forEachBlock(doc.blocks, (block) => { if (block.kind === 'figure') figures.push(block); });
  return figures;
};

describe('images from the archive a page came from', () => {
  it('takes each image from the capture closest to the page, srcset candidates too; SVG made inert; other bytes left out with their words', async () => {
    const { sources } = await sourcesFromInputs([warc]);
    const bridge = sources.find((s) => s.label.endsWith('#https://news.example.org/2019/05/bridge.html'))!;
    const doc = extract(await bridge.load({}));
    const done = await localizeImages(doc);
    expect(done).toMatchObject({ found: 3, leftOut: 1 });
    const [photo, wide, drawing, notImage] = figuresOf(doc);
    // Two captures of photo.png: the one five seconds after the page, not the one months before.
    const photoAsset = done.assets.find((a) => a.file === photo!.image.src)!;
    expect(Buffer.from(photoAsset.bytes).equals(LATE)).toBe(true);
    expect(photo!.image.src).toMatch(/^assets\/[0-9a-f]{64}\.png$/);
    // The src is not in the archive; its srcset's wide candidate is.
    expect(Buffer.from(done.assets.find((a) => a.file === wide!.image.src)!.bytes).equals(WIDE)).toBe(true);
    expect(wide!.image.srcset).toBeUndefined();
    // The SVG keeps its drawing and nothing that could run or reach out.
    expect(drawing!.image.src).toMatch(/\.svg$/);
    const svg = Buffer.from(done.assets.find((a) => a.file === drawing!.image.src)!.bytes).toString('utf8');
    expect(svg).toContain('<rect width="120" height="60" fill="#336"');
    expect(svg).not.toMatch(/script|onload|javascript:|foreignObject|tracker\.example|evil\.example|<image|<a\b/i);
    // HTML labelled image/png is not an image: left out, its alt and caption kept as text, with a finding.
    expect(notImage).toMatchObject({ imageLeftOut: true, image: { src: '', alt: 'Workers in 1987' }, credit: 'Archive' });
    expect(doc.findings.filter((f) => f.code === 'clearcopy/image-left-out')).toHaveLength(1);
    const html = renderHtml(doc, loadTemplates());
    // The alt says what the caption says: the words once, visible, with the note.
    expect(html).toMatch(/<span class="caption">Workers in 1987\.<\/span>\n<span class="image-left-out">Image not available\.<\/span>/);
    expect(html.match(/<img /g)).toHaveLength(3);
    // Each file once, named by its content.
    expect(new Set(done.assets.map((a) => a.file)).size).toBe(done.assets.length);
  });

  it('leaves every image alone with --remote-images, and fails nothing when the archive lacks them all', async () => {
    const { sources } = await sourcesFromInputs([warc]);
    const doc = extract(await sources.find((s) => s.label.endsWith('bridge.html'))!.load({}));
    expect(await localizeImages(doc, { mode: 'remote' })).toEqual({ assets: [], found: 0, leftOut: 0 });
    expect(figuresOf(doc)[0]!.image.src).toBe(`${SITE}/photo.png`);
    const tooSmall = extract(await sources.find((s) => s.label.endsWith('bridge.html'))!.load({}));
    expect(await localizeImages(tooSmall, { maxImageBytes: 10 })).toMatchObject({ found: 0, leftOut: 4 });
  });

  it('knows raster images by their bytes, not their names', () => {
    expect(rasterExtension(EARLY)).toBe('png');
    expect(rasterExtension(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
    expect(rasterExtension(Buffer.from('GIF89a'))).toBe('gif');
    expect(rasterExtension(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sanitizeSvg(Buffer.from('<html><body>not svg</body></html>'))).toBeUndefined();
  });
});

describe('redirect stubs in an archive', () => {
  it('are refused with one line naming where they send the reader, and whether that page is copied', async () => {
    const { sources } = await sourcesFromInputs([warc]);
    const stub = sources.find((s) => s.label.endsWith('#https://news.example.org/old-bridge.html'))!;
    await expect(stub.load({})).rejects.toThrow(`${warc}#${SITE}/old-bridge.html: no article: a redirect stub to ${SITE}/2019/05/bridge.html, which is copied as its own page`);
    const gone = sources.find((s) => s.label.endsWith('#https://news.example.org/gone-story.html'))!;
    await expect(gone.load({})).rejects.toThrow(`${warc}#${SITE}/gone-story.html: no article: a redirect stub to ${SITE}/elsewhere.html, which the archive does not hold`);
  });
});
