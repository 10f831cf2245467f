// `clearcopy render … --epub` end to end, judged by the real checkers: W3C EPUBCheck (Java) and
// DAISY Ace (axe and the EPUB accessibility checks, in Chromium). Each must find nothing; a book
// broken on purpose shows that they would.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ace, entryText, epubcheck, pngImage, readZip, writeZip, type AceResult, type EpubcheckResult, type ZipEntry } from '../epub-checkers.js';
import { CLI, ROOT, SAMPLES, SHARED, runCli, type CliResult } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-epub-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Renders inputs into a book through the real CLI; its time and size are logged for the record. */
async function makeBook(name: string, inputs: string[], extra: string[] = []): Promise<{ file: string; result: CliResult; ms: number }> {
  const file = path.join(work, `${name}.epub`);
  const began = performance.now();
  const result = await runCli(['render', ...inputs, '-o', path.join(work, name, 'out'), '--reports', path.join(work, name, 'reports'), '--no-cache', '-q', '--epub', file, ...extra]);
  const ms = Math.round(performance.now() - began);
  if (result.code === 0 || statSync(file, { throwIfNoEntry: false })) console.log(`${name}: ${file} ${statSync(file).size} bytes, render --epub took ${ms} ms`);
  return { file, result, ms };
}

function clean(check: EpubcheckResult, a11y: AceResult): void {
  expect(check.summary).toMatch(/^Messages: 0 fatals \/ 0 errors \/ 0 warnings/);
  expect(a11y.violations).toEqual([]);
  expect(a11y.outcome).toBe('pass');
}

describe('an EPUB of the samples', () => {
  let book: { file: string; result: CliResult };
  let check: EpubcheckResult;
  let a11y: AceResult;
  let entries: ZipEntry[];
  beforeAll(async () => {
    book = await makeBook('samples', [SAMPLES], ['--title', 'clearcopy samples']);
    [check, a11y] = [await epubcheck(book.file), await ace(book.file)];
    entries = await readZip(book.file);
    console.log(`samples: EPUBCheck ${check.summary}; ${a11y.summary}`);
  }, 600_000);

  it('is made beside the copies and named on stdout', () => {
    expect(book.result.code).toBe(0);
    expect(book.result.stdout).toMatch(/clearcopy: EPUB: .*samples\.epub \(4 chapters, 0 images, \d+ KiB; EPUB Accessibility 1\.1 - WCAG 2\.2 Level AA\)/);
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('passes EPUBCheck and DAISY Ace with nothing to report', () => {
    clean(check, a11y);
    expect(a11y.metadata.present).toEqual(expect.arrayContaining(['schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature', 'schema:accessibilityHazard', 'schema:accessibilitySummary', 'dcterms:conformsTo']));
  });

  it('holds every sample in input order, the Arabic one right to left', () => {
    const opf = entryText(entries, 'EPUB/package.opf');
    expect(opf).toContain('<dc:title id="title">clearcopy samples</dc:title>');
    expect([...opf.matchAll(/<dc:language>([^<]+)</g)].map((m) => m[1])).toContain('ar');
    const chapters = entries.filter((e) => /chapter-\d+\.xhtml$/.test(e.name)).sort((a, b) => a.name.localeCompare(b.name));
    expect(chapters).toHaveLength(4);
    expect(chapters[0]!.bytes.toString()).toMatch(/<html [^>]*lang="ar" xml:lang="ar" dir="rtl"/);
  });

  it('would be caught without its languages: both checkers object', async () => {
    const broken = entries.map((e) => {
      if (e.name === 'EPUB/package.opf') return { ...e, bytes: Buffer.from(e.bytes.toString().replace(/<dc:language>[^<]*<\/dc:language>\n/g, '')) };
      if (/chapter-00001\.xhtml$/.test(e.name)) return { ...e, bytes: Buffer.from(e.bytes.toString().replace(/ lang="[^"]*" xml:lang="[^"]*"/, '')) };
      return e;
    });
    const file = path.join(work, 'no-language.epub');
    await writeZip(broken, file);
    const [brokenCheck, brokenAce] = [await epubcheck(file), await ace(file)];
    console.log(`no language: EPUBCheck ${brokenCheck.summary}; ${brokenAce.summary}`);
    expect(brokenCheck.errors).toBeGreaterThan(0);
    expect(brokenCheck.output).toMatch(/dc:language/);
    expect(brokenAce.outcome).toBe('fail');
    expect(brokenAce.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['html-has-lang']));
  }, 600_000);

  it('would be caught without its accessibility metadata: Ace objects', async () => {
    const broken = entries.map((e) => (e.name === 'EPUB/package.opf' ? { ...e, bytes: Buffer.from(e.bytes.toString().replace(/<meta property="schema:[^>]*>[^<]*<\/meta>\n/g, '')) } : e));
    const file = path.join(work, 'no-a11y-metadata.epub');
    await writeZip(broken, file);
    const brokenAce = await ace(file);
    console.log(`no accessibility metadata: ${brokenAce.summary}`);
    expect(brokenAce.outcome).toBe('fail');
    expect(brokenAce.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['metadata-accessmode', 'metadata-accessibilitysummary']));
  }, 600_000);
});

describe('an EPUB with images', () => {
  it('carries the data: URL image and the file beside the input, leaves the remote one out as text, and passes both checkers', async () => {
    const dir = path.join(work, 'images-input');
    mkdirSync(path.join(dir, 'story_files'), { recursive: true });
    const local = pngImage(30, 20, 7);
    writeFileSync(path.join(dir, 'story_files', 'photo.png'), local);
    writeFileSync(path.join(work, 'outside.png'), pngImage(30, 20, 9));
    const png = pngImage(40, 30).toString('base64');
    const words = `<p>${'A sentence of the article body that a reader reads and hears. '.repeat(12)}</p>`;
    writeFileSync(path.join(dir, 'story.html'), `<!DOCTYPE html><html lang="en"><head><title>Bridges of the valley</title><meta name="author" content="Maren Holt"></head><body><article><h1>Bridges of the valley</h1>${words}
      <figure><img src="data:image/png;base64,${png}" alt="A stone viaduct over a river" width="400" height="300"><figcaption>The viaduct. Photo: Tom Ashworth</figcaption></figure>${words}
      <figure><img src="https://images.example.org/bench.jpg" alt="A wet spaniel on a bench" width="400" height="300"><figcaption>Photo: Maren Holt</figcaption></figure>${words}
      <figure><img src="story_files/photo.png" alt="A striped test card" width="400" height="300"></figure>${words}
      <figure><img src="../outside.png" alt="A file outside the input's folder" width="400" height="300"></figure>${words}</article></body></html>`);
    const book = await makeBook('images', [path.join(dir, 'story.html')], ['--no-audit']);
    expect(book.result.stdout).toMatch(/EPUB: .*images\.epub \(1 chapter, 2 images/);
    const entries = await readZip(book.file);
    expect(entries.some((e) => e.bytes.equals(local))).toBe(true);
    const chapter = entryText(entries, 'EPUB/chapter-00001.xhtml');
    expect(chapter).toMatch(/<img src="images\/[0-9a-f]+\.png" alt="A striped test card"/);
    expect(chapter).not.toMatch(/outside|file:/);
    // The HTML and text copies never name a file on this machine.
    for (const copy of ['story.html', 'story.txt']) expect(readFileSync(path.join(work, 'images', 'out', copy), 'utf8')).not.toMatch(/file:|story_files|striped test card/);
    const opf = entryText(entries, 'EPUB/package.opf');
    expect(opf).toMatch(/media-type="image\/png"/);
    expect(opf).toContain('<meta property="schema:accessMode">visual</meta>');
    // Not audited (--no-audit): no conformance is claimed.
    expect(opf).not.toContain('dcterms:conformsTo');
    expect(entryText(entries, 'EPUB/chapter-00001.xhtml')).toMatch(/Image not included in this book:<\/span> A wet spaniel on a bench/);
    clean(await epubcheck(book.file), await ace(book.file));
  }, 600_000);
});

describe.skipIf(!SHARED)('EPUBs of real pages (../shared/corpus)', () => {
  const PAGES = ['aclu', 'aktualne', 'ars-1', 'bbc-1', 'breitbart', 'cnn', 'ehow-1', 'engadget', 'folha', 'guardian-1', 'heise', 'lemonde-1', 'medium-1', 'nytimes-1', 'qq', 'rtl-1', 'salon-1', 'theverge', 'wapo-1', 'wikipedia'];

  it('makes a book of 20 real pages that passes both checkers', async () => {
    const dir = path.join(work, 'corpus-20');
    mkdirSync(dir, { recursive: true });
    for (const name of PAGES) symlinkSync(path.join(SHARED!, 'corpus', 'readability-pages', name, 'source.html'), path.join(dir, `${name}.html`));
    const book = await makeBook('corpus-20', PAGES.map((name) => path.join(dir, `${name}.html`)), ['--title', 'Twenty archived articles']);
    expect(book.result.stdout).toMatch(/EPUB: .*corpus-20\.epub \(20 chapters/);
    const check = await epubcheck(book.file);
    const a11y = await ace(book.file);
    console.log(`corpus-20: EPUBCheck ${check.summary}; ${a11y.summary}`);
    clean(check, a11y);
    const opf = entryText(await readZip(book.file), 'EPUB/package.opf');
    expect(new Set([...opf.matchAll(/<dc:language>([^<]+)</g)].map((m) => m[1])).size).toBeGreaterThan(3);
  }, 900_000);

  it('makes a book of a web archive (WARC) that passes both checkers', async () => {
    const warc = path.join(SHARED!, 'corpus', 'archives', 'example-iana.warc');
    const book = await makeBook('warc', [warc], ['--no-audit', '--title', 'IANA, archived']);
    expect(book.result.stdout).toMatch(/EPUB: .*warc\.epub \(\d+ chapters?/);
    const check = await epubcheck(book.file);
    const a11y = await ace(book.file);
    console.log(`warc: EPUBCheck ${check.summary}; ${a11y.summary}`);
    clean(check, a11y);
    expect(entryText(await readZip(book.file), 'EPUB/package.opf')).toMatch(/<dc:source>https?:\/\/[^<]*iana/);
  }, 900_000);
});

describe('--epub on the command line', () => {
  it('is a usage error outside render, and a run with no article writes no book', async () => {
    const usage = await runCli(['audit', SAMPLES, '--epub', path.join(work, 'x.epub')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--epub is an option of render/);
    const title = await runCli(['render', SAMPLES, '--title', 'A book']);
    expect(title.code).toBe(2);
    expect(title.stderr).toMatch(/--title names the book made with --epub FILE/);
    const empty = path.join(work, 'empty.html');
    writeFileSync(empty, '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p>Hi</p></body></html>');
    const none = await makeBook('none', [empty], ['--no-audit']);
    expect(none.result.code).toBe(1);
    expect(none.result.stderr).toMatch(/none\.epub: no article could be made into a chapter, so no book was written/);
    expect(statSync(none.file, { throwIfNoEntry: false })).toBeUndefined();
  });
});

describe('an interrupted render --epub', () => {
  it('writes no book and leaves an old one as it was, with no temporary file', async () => {
    const dir = path.join(work, 'many');
    mkdirSync(dir, { recursive: true });
    const words = `<p>${'Paragraph of an archived story, long enough to be an article. '.repeat(20)}</p>`;
    for (let i = 1; i <= 40; i++) writeFileSync(path.join(dir, `story-${i}.html`), `<!DOCTYPE html><html lang="en"><head><title>Story ${i}</title></head><body><article><h1>Story ${i}</h1>${words}${words}</article></body></html>`);
    const file = path.join(work, 'interrupted.epub');
    writeFileSync(file, 'the old book');
    const child = spawn(process.execPath, [CLI, 'render', dir, '--no-audit', '--no-cache', '--workers', '0', '--json', '-o', path.join(work, 'int-out'), '--reports', path.join(work, 'int-rep'), '--epub', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!sent && (stderr.match(/"type":"page"/g) ?? []).length >= 3) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/no book written: the run was interrupted/);
    expect(readFileSync(file, 'utf8')).toBe('the old book');
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});
