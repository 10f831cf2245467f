// Copies that work without the live web, through the real CLI: real archives (the shared WARCs and
// WACZs), MHTML files Chromium makes from fixture pages, and a page saved with its name_files/
// folder. Each copy is opened in Chromium with every request outside the output folder blocked:
// it makes none, shows every <img> it has, its links to other copies resolve to files, and the
// collection index lists every copy and passes the audit at WCAG2AAA.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS, requireBrowser } from '../../src/audit/browser.js';
import { SHARED, closeServer, runCli } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-offline-'));
let browser: Browser;
beforeAll(async () => {
  browser = await puppeteer.launch({ executablePath: (await requireBrowser()).path, headless: true, args: BROWSER_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** What a copy did when opened from disk with everything outside its folder blocked. */
interface Visit {
  outside: string[];
  images: { src: string; naturalWidth: number }[];
  links: string[];
}

/** Opens `file` (inside `outDir`) in Chromium; requests outside `outDir` are blocked and recorded. */
async function visit(file: string, outDir: string): Promise<Visit> {
  const page = await browser.newPage();
  const root = pathToFileURL(path.resolve(outDir)).href + '/';
  const outside: string[] = [];
  try {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      const inside = url.startsWith(root) || url.startsWith('data:');
      if (!inside) outside.push(url);
      void (inside ? request.continue() : request.abort()).catch(() => undefined);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Lazy images load when near the viewport: bring each one there and wait for it.
    const images = await page.evaluate(async () => {
      const found = [];
      for (const img of document.querySelectorAll('img')) {
        img.scrollIntoView();
        await img.decode().catch(() => undefined);
        found.push({ src: img.getAttribute('src') ?? '', naturalWidth: img.naturalWidth });
      }
      return found;
    });
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''));
    return { outside, images, links };
  } finally {
    await page.close();
  }
}

/** Checks every copy of an output folder offline, and its index; returns what it saw for the report. */
async function checkOutput(outDir: string) {
  const copies = readdirSync(outDir).filter((f) => f.endsWith('.html') && f !== 'index.html');
  let images = 0;
  let copyLinks = 0;
  for (const copy of copies) {
    const seen = await visit(path.join(outDir, copy), outDir);
    expect(seen.outside, `${copy}: requests outside the output folder`).toEqual([]);
    for (const image of seen.images) {
      expect(image.src, `${copy}: an image from the output folder`).toMatch(/^assets\/[0-9a-f]{64}\.(png|jpg|gif|webp|avif|svg)$/);
      expect(image.naturalWidth, `${copy}: ${image.src} is shown`).toBeGreaterThan(0);
    }
    images += seen.images.length;
    for (const href of seen.links.filter((h) => !/^(https?:|mailto:|#)/i.test(h))) {
      copyLinks++;
      expect(existsSync(path.join(outDir, decodeURI(href.replace(/#.*$/, '')))), `${copy}: link ${href} resolves to a file`).toBe(true);
    }
  }
  const index = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  for (const copy of copies) expect(index, `the index lists ${copy}`).toContain(`<a href="${copy}">`);
  const indexVisit = await visit(path.join(outDir, 'index.html'), outDir);
  expect(indexVisit.outside).toEqual([]);
  return { copies: copies.length, images, copyLinks };
}

/** Audits the index at WCAG2AAA with the real CLI. */
async function auditIndex(outDir: string) {
  const audit = await runCli(['audit', path.join(outDir, 'index.html'), '--standard', 'WCAG2AAA', '--no-config']);
  expect(audit.stdout).toMatch(/WCAG2AAA · 1 page · 0 errors/);
  expect(audit.code).toBe(0);
}

const ARCHIVES = SHARED ? readdirSync(path.join(SHARED, 'corpus', 'archives')).filter((f) => /\.(warc(\.gz)?|wacz)$/.test(f)).sort() : [];

describe.skipIf(!SHARED)('the shared archives, offline', () => {
  it.each(ARCHIVES)('%s: copies work offline, link to each other, and the index lists them', async (name) => {
    const input = path.join(SHARED!, 'corpus', 'archives', name);
    const out = path.join(work, 'archives', name);
    const result = await runCli(['render', input, '-o', out, '--reports', path.join(work, 'reports', name), '--no-audit', '--no-cache']);
    expect(result.stdout).toMatch(/index of the copies: .*index\.html \(\d+ copies/);
    const seen = await checkOutput(out);
    expect(seen.copies).toBeGreaterThan(0);
    const collection = JSON.parse(readFileSync(path.join(out, 'collection.json'), 'utf8')) as { copies: unknown[]; refused: { message: string }[] };
    expect(collection.copies).toHaveLength(seen.copies);
    // Every refusal is one line naming its page in the archive.
    for (const refusal of collection.refused) expect(refusal.message).toMatch(new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#https?://\\S+: `));
    await auditIndex(out);
  }, 180_000);

  it('text and audit take a WACZ through the same expander as render: one page per listed page', async () => {
    const wacz = path.join(SHARED!, 'corpus', 'archives', 'browsertrix-example.wacz');
    const text = await runCli(['text', wacz]);
    expect(text.stdout).toMatch(/^Example Domain\n/);
    expect(text.stdout).toContain('Captured in a WARC web archive on October 6, 2023.');
    expect(text.stderr).toBe(`${wacz}#https://example.com/hello-world: no article: the archived capture is an error page (HTTP 404)\n`);
    expect(text.code).toBe(1);
    const audit = await runCli(['audit', wacz, '--no-config']);
    expect(audit.stdout).toContain(`${wacz}#https://example.com/  `);
    expect(audit.stdout).toMatch(/2 pages \(1 could not be audited\)/);
  }, 120_000);

  it('example-iana.warc: the RIR map comes from the archive and links between the copies point at the copies', async () => {
    const out = path.join(work, 'archives', 'example-iana.warc');
    if (!existsSync(out)) await runCli(['render', path.join(SHARED!, 'corpus', 'archives', 'example-iana.warc'), '-o', out, '--no-audit', '--no-cache', '--reports', path.join(work, 'r')]);
    const numbers = readFileSync(path.join(out, 'example-iana-numbers.html'), 'utf8');
    expect(numbers).toMatch(/<img src="assets\/[0-9a-f]{64}\.svg" alt="Map of RIRs"/);
    const about = readFileSync(path.join(out, 'example-iana-about.html'), 'utf8');
    expect(about).toContain('<a href="example-iana-numbers.html">');
    // The copy's own original address stays the live one.
    expect(about).toContain('<a href="https://www.iana.org/about">https://www.iana.org/about</a>');
  }, 120_000);
});

/** A 160×90 PNG of one colour, drawn by Chromium. */
async function drawPng(colour: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 160, height: 90 });
    await page.setContent(`<html><body style="margin:0;background:${colour}"></body></html>`);
    return Buffer.from(await page.screenshot({ type: 'png' }));
  } finally {
    await page.close();
  }
}

const PROSE = 'The old swing bridge over the river opened in 1894 and carried carts, trams and finally cars until its gears seized in the cold winter of 1987. Engineers who inspected it last spring found the ironwork sound and the timber deck beyond repair, and the council has now agreed to restore it for people on foot and on bicycles.';

function articlePage(images: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The bridge reopens</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>The bridge reopens</h1><p class="byline">By Ana Lima</p>
<p>${PROSE}</p>
${images}
<p>${PROSE.replace('1894', '1895')}</p><p>Work starts in March. “We waited a long time for this,” said a neighbour who crosses it every morning with her dog — “café” and “naïve” are spelled with their accents.</p>
</article></main><footer>© The Riverside Gazette</footer></body></html>`;
}

describe('MHTML made by Chromium, offline', () => {
  let server: Server;
  let base: string;
  const out = path.join(work, 'mhtml', 'out');
  let mhtmlFile = '';
  beforeAll(async () => {
    const photo = await drawPng('#1f6f8b');
    const wide = await drawPng('#8b1f4a');
    const pages: Record<string, string> = {
      '/story.html': articlePage(`<figure><img src="/photo.png" alt="The bridge from the north bank" width="160" height="90"><figcaption>The bridge in April. Photo: Rui Costa</figcaption></figure>
<figure><img src="/gone.png" srcset="/wide.png 640w, /gone-small.png 320w" alt="The deck being lifted"><figcaption>The deck is lifted out.</figcaption></figure>
<figure><img src="/missing.jpg" alt="Workers on the bridge in 1987"><figcaption>Workers in 1987 (Archive)</figcaption></figure>`),
    };
    server = createServer((request, response) => {
      const url = request.url ?? '/';
      if (pages[url]) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[url]);
      else if (url === '/photo.png') response.writeHead(200, { 'content-type': 'image/png' }).end(photo);
      else if (url === '/wide.png') response.writeHead(200, { 'content-type': 'image/png' }).end(wide);
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/story.html`, { waitUntil: 'networkidle0' });
      const cdp = await page.createCDPSession();
      const { data } = await cdp.send('Page.captureSnapshot', { format: 'mhtml' });
      mhtmlFile = path.join(work, 'mhtml', 'story.mhtml');
      mkdirSync(path.dirname(mhtmlFile), { recursive: true });
      writeFileSync(mhtmlFile, data);
    } finally {
      await page.close();
    }
  }, 60_000);
  afterAll(() => closeServer(server));

  it('is a real MHTML file: quoted-printable HTML and base64 image parts', () => {
    const raw = readFileSync(mhtmlFile, 'latin1');
    expect(raw).toMatch(/Content-Type: multipart\/related/);
    expect(raw).toMatch(/Content-Transfer-Encoding: quoted-printable/);
    expect(raw).toMatch(new RegExp(`Content-Location: ${base}/photo.png`));
  });

  it('renders the page decoded, its images from the file, the missing one left out with its words kept', async () => {
    const result = await runCli(['render', mhtmlFile, '-o', out, '--reports', path.join(work, 'mhtml', 'reports'), '--no-audit', '--no-cache']);
    expect(result.code).toBe(0);
    const html = readFileSync(path.join(out, 'story.html'), 'utf8');
    const text = readFileSync(path.join(out, 'story.txt'), 'utf8');
    // Decoded: no quoted-printable debris, accents right.
    expect(text).toContain('“café” and “naïve”');
    expect(text).not.toMatch(/=20|=3D|=\n/);
    expect(html).toContain(`<a href="${base}/story.html">`);
    // Two images from the file (the second from its srcset), one left out with its alt text and caption.
    expect(html.match(/<img src="assets\/[0-9a-f]{64}\.png"/g)).toHaveLength(2);
    expect(html).toContain('Image not available: Workers on the bridge in 1987.');
    expect(html).toContain('Workers in 1987');
    const report = JSON.parse(readFileSync(path.join(work, 'mhtml', 'reports', 'story.json'), 'utf8')) as { page: { findings: { code: string }[]; copy: { images: { found: number; leftOut: number } } } };
    expect(report.page.copy.images).toEqual({ found: 2, leftOut: 1 });
    expect(report.page.findings.filter((f) => f.code === 'clearcopy/image-left-out')).toHaveLength(1);
    const seen = await checkOutput(out);
    expect(seen.images).toBe(2);
    await auditIndex(out);
  }, 120_000);

  it('--remote-images keeps the original image addresses', async () => {
    const remote = path.join(work, 'mhtml', 'remote');
    await runCli(['render', mhtmlFile, '-o', remote, '--reports', path.join(work, 'mhtml', 'r2'), '--no-audit', '--no-cache', '--remote-images']);
    const html = readFileSync(path.join(remote, 'story.html'), 'utf8');
    expect(html).toContain(`<img src="${base}/photo.png"`);
    expect(existsSync(path.join(remote, 'assets'))).toBe(false);
  }, 60_000);
});

describe('a page saved with its folder ("Web page, complete"), offline', () => {
  it('shows the images from name_files/, never walks that folder as pages, and keeps the folder untouched', async () => {
    const saved = path.join(work, 'saved');
    mkdirSync(path.join(saved, 'story_files'), { recursive: true });
    writeFileSync(path.join(saved, 'story_files', 'photo.png'), await drawPng('#2d6a4f'));
    writeFileSync(path.join(saved, 'story_files', 'frame.html'), '<html><body><p>An embedded frame saved beside the page.</p></body></html>');
    writeFileSync(path.join(saved, 'story.html'), articlePage('<figure><img src="story_files/photo.png" alt="The bridge at dusk" width="160" height="90"><figcaption>The bridge at dusk.</figcaption></figure><figure><img src="../outside.png" alt="A file outside the page folder"></figure>'));
    writeFileSync(path.join(work, 'outside.png'), await drawPng('#000000'));
    const out = path.join(work, 'saved-out');
    const result = await runCli(['render', saved, '-o', out, '--reports', path.join(work, 'saved-reports'), '--no-audit', '--no-cache']);
    expect(result.stdout).toMatch(/clearcopy: 1 pages\./);
    const html = readFileSync(path.join(out, 'story.html'), 'utf8');
    expect(html).toMatch(/<img src="assets\/[0-9a-f]{64}\.png" alt="The bridge at dusk"/);
    // Nothing outside the page's folder is read.
    expect(html).toContain('Image not available: A file outside the page folder.');
    const seen = await checkOutput(out);
    expect(seen.images).toBe(1);
    expect(readdirSync(path.join(saved, 'story_files')).sort()).toEqual(['frame.html', 'photo.png']);
  }, 120_000);
});

// The test itself must be able to fail: a copy pointing at the web is caught.
describe('the offline check', () => {
  it('catches a copy that requests something outside its folder', async () => {
    const out = path.join(work, 'catch');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'leaky.html'), '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><img src="http://127.0.0.1:9/photo.png" alt="x"></body></html>');
    const seen = await visit(path.join(out, 'leaky.html'), out);
    expect(seen.outside).toEqual(['http://127.0.0.1:9/photo.png']);
    expect(seen.images[0]!.naturalWidth).toBe(0);
  }, 60_000);
});

