import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { extract, loadBytes } from '../../src/index.js';
import { removePendingTemps } from '../../src/output.js';
import { createEpubBuilder, renderChapter, writeEpub, loadEpubTemplates, dataUrlImages, type EpubChapter } from '../../src/epub/index.js';
import { htmlDatetime, xmlText } from '../../src/epub/chapter.js';
import { entryText, pngImage, readZip } from '../epub-checkers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-epub-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const filler = (n = 8) => `<p>${'A sentence of the article body that a reader reads. '.repeat(n)}</p>`;
const page = (opts: { lang?: string; dir?: string; title: string; body: string; url?: string; author?: string }) =>
  extract(loadBytes(Buffer.from(`<!DOCTYPE html><html lang="${opts.lang ?? 'en'}"${opts.dir ? ` dir="${opts.dir}"` : ''}><head><title>${opts.title}</title>${opts.author ? `<meta name="author" content="${opts.author}">` : ''}<meta property="article:published_time" content="2019-05-14T07:12:40.123456Z"></head><body><article><h1>${opts.title}</h1>${opts.body}</article></body></html>`), { name: opts.title, url: opts.url ?? `https://example.org/${encodeURIComponent(opts.title)}` }));

const png = pngImage(48, 32);
const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
const english = page({
  title: 'Walking the old railway',
  author: 'Maren Holt',
  body: `${filler()}<h2>Starting at the station</h2>${filler()}<figure><img src="${dataUrl}" alt="A stone viaduct over a river" width="480" height="320"><figcaption>The viaduct. Photo: Tom Ashworth</figcaption></figure><h2>The tunnels</h2>${filler()}<h3>A smaller part</h3>${filler(4)}<figure><img src="https://images.example.org/bench.jpg" alt="A wet spaniel on a bench" width="480" height="320"><figcaption>Photo: Maren Holt</figcaption></figure>${filler()}`,
});
const arabic = page({ lang: 'ar', dir: 'rtl', title: 'أخبار اليوم', body: `<p>${'هذه جملة من نص المقال يقرؤها القارئ بهدوء. '.repeat(10)}</p><h2>القسم الثاني</h2><p>${'نص آخر في المقال. '.repeat(10)}</p>` });

describe('an EPUB book', async () => {
  const file = path.join(dir, 'two.epub');
  const builder = createEpubBuilder({ tempDir: dir, resolveImage: dataUrlImages, modified: new Date('2026-01-02T03:04:05Z') });
  // Chapters arrive out of order (as pages finish on worker threads); the book follows the input order.
  builder.add(arabic, { index: 1, auditPassed: true });
  builder.add(english, { index: 0, auditPassed: true });
  const summary = await builder.finish(file);
  const entries = await readZip(file);
  const opf = entryText(entries, 'EPUB/package.opf');
  const nav = entryText(entries, 'EPUB/nav.xhtml');
  const xml = (text: string) => new JSDOM(text, { contentType: 'application/xhtml+xml' }).window.document;

  it('starts with the stored mimetype and points to its package document', () => {
    expect(entries[0]).toMatchObject({ name: 'mimetype', stored: true, extraFieldLength: 0 });
    expect(entries[0]!.bytes.toString()).toBe('application/epub+zip');
    expect(entryText(entries, 'META-INF/container.xml')).toContain('full-path="EPUB/package.opf"');
    expect(summary).toMatchObject({ chapters: 2, images: 1 });
  });

  it('is well-formed XML throughout (the parser throws on anything else)', () => {
    for (const entry of entries.filter((e) => /\.(xhtml|opf|xml)$/.test(e.name))) expect(() => xml(entry.bytes.toString())).not.toThrow();
  });

  it('reads in input order: the spine and the contents follow the index, not the arrival', () => {
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]);
    expect(spine).toEqual(['nav', 'c1', 'c2']);
    expect(opf).toMatch(/<item id="c1" href="chapter-00001.xhtml"/);
    expect(entryText(entries, 'EPUB/chapter-00001.xhtml')).toContain('Walking the old railway');
    const doc = xml(nav);
    const items = [...doc.querySelectorAll('nav#toc > ol > li')];
    expect(items.map((li) => li.querySelector('a')!.textContent)).toEqual(['Walking the old railway', 'أخبار اليوم']);
  });

  it('lists each article\'s headings one level down, linked to ids that exist', () => {
    const doc = xml(nav);
    const first = [...doc.querySelectorAll('nav#toc > ol > li:first-child > ol > li > a')];
    expect(first.map((a) => a.textContent)).toEqual(['Starting at the station', 'The tunnels']);
    const chapter = xml(entryText(entries, 'EPUB/chapter-00001.xhtml'));
    for (const a of first) expect(chapter.getElementById(a.getAttribute('href')!.split('#')[1]!)?.textContent).toBe(a.textContent);
    expect(doc.querySelector('nav[epub\\:type="landmarks"], nav#landmarks')!.innerHTML).toContain('bodymatter');
  });

  it('declares every language: the package, each chapter, and an article in another language in the contents', () => {
    expect([...opf.matchAll(/<dc:language>([^<]+)</g)].map((m) => m[1])).toEqual(['en', 'ar']);
    const ar = xml(entryText(entries, 'EPUB/chapter-00002.xhtml')).documentElement;
    expect([ar.getAttribute('lang'), ar.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang'), ar.getAttribute('dir')]).toEqual(['ar', 'ar', 'rtl']);
    const li = xml(nav).querySelectorAll('nav#toc > ol > li')[1]!;
    expect([li.getAttribute('lang'), li.getAttribute('dir')]).toEqual(['ar', 'rtl']);
  });

  it('carries the image it has and leaves out the one it does not, with its description and credit as text', () => {
    const chapter = entryText(entries, 'EPUB/chapter-00001.xhtml');
    const item = /<item id="img1" href="(images\/[0-9a-f]+\.png)" media-type="image\/png"\/>/.exec(opf);
    expect(item).not.toBeNull();
    expect(entries.find((e) => e.name === `EPUB/${item![1]}`)!.bytes.equals(png)).toBe(true);
    expect(chapter).toContain(`<img src="${item![1]}" alt="A stone viaduct over a river"`);
    expect(chapter).not.toMatch(/https:\/\/images\.example\.org|data:image/);
    expect(chapter).toMatch(/Image not included in this book:<\/span> A wet spaniel on a bench/);
    expect(chapter).toMatch(/Photo:<\/span> Maren Holt/);
    expect(opf).not.toMatch(/https?:\/\/[^<"]*\.(jpe?g|png)/);
  });

  it('has the accessibility metadata of what it is, and claims conformance when every chapter passed', () => {
    expect(opf).toContain('<meta property="schema:accessMode">textual</meta>');
    expect(opf).toContain('<meta property="schema:accessMode">visual</meta>');
    expect(opf).toContain('<meta property="schema:accessModeSufficient">textual</meta>');
    expect(opf).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>');
    expect(opf).toContain('<meta property="schema:accessibilityHazard">none</meta>');
    expect(opf).toMatch(/schema:accessibilitySummary">This book holds 2 articles[^<]*1 image has a text description\. 1 image was not available to include/);
    expect(opf).toContain('<meta property="dcterms:conformsTo" id="conformance">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>');
    expect(opf).toContain('<meta property="dcterms:modified">2026-01-02T03:04:05Z</meta>');
    expect(opf).toContain('<dc:creator>Maren Holt</dc:creator>');
    expect(opf).toContain('<dc:source>https://example.org/Walking%20the%20old%20railway</dc:source>');
    expect(opf).toMatch(/<dc:identifier id="book-id">urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/dc:identifier>/);
  });

  it('claims no conformance when a chapter was not audited, or an image has no description', async () => {
    const unaudited = await writeEpub([english], path.join(dir, 'unaudited.epub'), { resolveImage: dataUrlImages });
    expect(unaudited.conformsTo).toBeUndefined();
    const undescribed = page({ title: 'No alt', body: `${filler()}<figure><img src="${dataUrl}" width="480" height="320"></figure>${filler()}` });
    const made = await writeEpub([undescribed], path.join(dir, 'undescribed.epub'), { resolveImage: dataUrlImages, auditPassed: true });
    const opf2 = entryText(await readZip(made.file), 'EPUB/package.opf');
    expect(made.conformsTo).toBeUndefined();
    expect(opf2).not.toContain('alternativeText');
    expect(opf2).not.toContain('<meta property="schema:accessModeSufficient">textual</meta>');
    expect(opf2).toContain('Needs a person: 1 image has no description');
  });

  it('keeps one identifier for the same inputs and another for other inputs; one article is its own title', async () => {
    const again = await writeEpub([english, arabic], path.join(dir, 'again.epub'));
    const other = await writeEpub([english], path.join(dir, 'other.epub'));
    expect(again.identifier).toBe(summary.identifier);
    expect(other.identifier).not.toBe(summary.identifier);
    expect(entryText(await readZip(other.file), 'EPUB/package.opf')).toContain('<dc:title id="title">Walking the old railway</dc:title>');
    expect(opf).toContain('<dc:title id="title">Walking the old railway and 1 more article</dc:title>');
  });
});

describe('writing a book', () => {
  it('leaves nothing behind when aborted, and writes no book without a chapter', async () => {
    const folder = mkdtempSync(path.join(dir, 'abort-'));
    const builder = createEpubBuilder({ tempDir: folder });
    builder.add(english);
    await builder.abort();
    expect(readdirSync(folder)).toEqual([]);
    const empty = createEpubBuilder({ tempDir: folder });
    await expect(empty.finish(path.join(folder, 'none.epub'))).rejects.toThrow(/no article could be made into a chapter/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('is among the temporary files a hurried exit removes (a second Ctrl-C), and no longer once written', async () => {
    const folder = mkdtempSync(path.join(dir, 'hurried-'));
    const builder = createEpubBuilder({ tempDir: folder });
    builder.add(english);
    await vi.waitFor(() => expect(readdirSync(folder)).toHaveLength(1));
    expect(removePendingTemps()).toBe(1);
    expect(readdirSync(folder)).toEqual([]);
    await builder.abort();
    const written = createEpubBuilder({ tempDir: folder });
    written.add(english);
    await written.finish(path.join(folder, 'book.epub'));
    expect(removePendingTemps()).toBe(0);
    expect(readdirSync(folder)).toEqual(['book.epub']);
  });

  it('replaces an existing book only when the new one is complete', async () => {
    const folder = mkdtempSync(path.join(dir, 'atomic-'));
    const target = path.join(folder, 'book.epub');
    writeFileSync(target, 'the old book');
    const blocked = path.join(folder, 'not-a-folder');
    writeFileSync(blocked, '');
    await expect(writeEpub([english], path.join(blocked, 'book.epub'))).rejects.toThrow(/could not be written/);
    await writeEpub([english], target);
    expect((await readZip(target))[0]!.name).toBe('mimetype');
    expect(readdirSync(folder).sort()).toEqual(['book.epub', 'not-a-folder']);
  });
});

describe('chapter text', () => {
  it('renders a chapter on its own, as a worker thread does, with the images its resolver finds', () => {
    const chapter: EpubChapter = renderChapter(english, loadEpubTemplates(), { resolveImage: dataUrlImages });
    expect(chapter.images).toHaveLength(1);
    expect(chapter.counts).toEqual({ describedImages: 1, undescribedImages: 0, leftOutImages: 1, tables: 0 });
    expect(structuredClone(chapter)).toEqual(chapter);
  });
  it('names the byline as the creator, but not a byline that is only a date', () => {
    const templates = loadEpubTemplates();
    expect(renderChapter(english, templates).creators).toEqual(['Maren Holt']);
    // As a page gave it (salon.com): the byline slot holds the time of posting.
    const dated = page({ title: 'Dated', body: filler() });
    expect(renderChapter({ ...dated, meta: { ...dated.meta, authors: [], byline: 'Sunday, Feb 1, 2015 11:57 AM UTC' } }, templates).creators).toEqual([]);
  });
  it('keeps only valid datetime values and characters XML can hold', () => {
    expect(htmlDatetime('2017-11-03T03:01:00.000000')).toBe('2017-11-03T03:01:00.000');
    expect(htmlDatetime('Tuesday')).toBeUndefined();
    expect(xmlText('a\u0001b&#x1;c\uD800d')).toBe('abcd');
    expect(renderChapter(english, loadEpubTemplates()).xhtml).toContain('<time datetime="2019-05-14T07:12:40.123Z">');
  });
  it('is not written outside its folder while it is made', () => {
    expect(existsSync(path.join(dir, 'two.epub'))).toBe(true);
  });
});
