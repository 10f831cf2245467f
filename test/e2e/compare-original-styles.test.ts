// --compare-original audits an original with its own stylesheets when they are at hand (the saved
// page's folder, the web archive), scripts still off: on the fixture site's script-free pages the
// errors per runner and rule equal pa11y's own run on the same pages served over HTTP, and
// without the stylesheets they do not. Then through the real CLI on a WARC written with warcio.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { WARCRecord, WARCSerializer } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditor, type Auditor } from '../../src/audit/auditor.js';
import { BROWSER_ARGS, headlessMode, requireBrowser } from '../../src/audit/browser.js';
import { serveSite, type SiteServer } from '../../src/audit/site-server.js';
import { inertOriginal } from '../../src/compare/original.js';
import { withOwnStylesheets } from '../../src/compare/stylesheets.js';
import { loadFile } from '../../src/load/file.js';
import { runCli } from '../helpers.js';
import { errorCounts, SITE, type RuleCounts } from '../site-fixture.js';

const require = createRequire(import.meta.url);
const pa11y = require('pa11y') as (url: string, options: object) => Promise<{ issues: { code: string; type: string; runner: string }[] }>;

/** The fixture site's pages without scripts: what an original audited with scripts off can match. */
const PAGES = ['contrast-linked', 'contrast-import', 'hidden', 'base', 'font'];

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-compare-styles-'));
let server: SiteServer;
let browser: Browser;
let auditor: Auditor;
const theirs: Record<string, RuleCounts> = {};

beforeAll(async () => {
  server = await serveSite(SITE);
  const location = await requireBrowser();
  browser = await puppeteer.launch({ executablePath: location.path, headless: headlessMode(location.kind), args: BROWSER_ARGS });
  for (const page of PAGES) {
    const results = await pa11y(server.urlFor(path.join(SITE, `${page}.html`)), { browser, runners: ['htmlcs', 'axe'], levelCapWhenNeedsReview: 'warning', timeout: 60_000 });
    theirs[page] = errorCounts(results.issues);
  }
  // As `render --compare-original` opens it: originals are not static pages.
  auditor = await openAuditor({ staticPages: false });
}, 300_000);

afterAll(async () => {
  await auditor?.close();
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Errors per runner and rule in an original, audited as --compare-original audits it. */
async function originalErrors(html: string, label: string): Promise<RuleCounts> {
  return errorCounts((await auditor.audit(inertOriginal(html), label)).findings);
}

describe('an original audited with its own stylesheets', () => {
  it('finds what pa11y finds on the served page, per runner and rule, on every script-free page', async () => {
    const ours: Record<string, RuleCounts> = {};
    for (const page of PAGES) {
      const loaded = await loadFile(path.join(SITE, `${page}.html`));
      const styled = await withOwnStylesheets(loaded.html, loaded.source);
      // font.html's only linked sheet is a third party's: not in the site's folder, so not at hand.
      const missing = page === 'font' ? ['https://fonts.example.com/css?family=Nowhere'] : [];
      expect(styled.stylesheets, page).toEqual({ found: page === 'font' ? 0 : expect.any(Number), missing });
      if (page !== 'font') {
        expect(styled.stylesheets.found, page).toBeGreaterThan(0);
        expect(styled.html, page).not.toMatch(/<link\b[^>]*stylesheet/i);
      }
      ours[page] = await originalErrors(styled.html, page);
    }
    expect(ours).toEqual(theirs);
    // The site's contrast failures are in its stylesheets: pa11y finds them, so must we.
    expect(Object.keys(theirs['contrast-linked']!).some((rule) => /contrast|G18/.test(rule))).toBe(true);
  }, 180_000);

  it('differs from pa11y without them (what the check above would catch)', async () => {
    for (const page of ['contrast-linked', 'contrast-import']) {
      const loaded = await loadFile(path.join(SITE, `${page}.html`));
      expect(await originalErrors(loaded.html, page), page).not.toEqual(theirs[page]);
    }
  }, 120_000);

  it('names a stylesheet that is not at hand and never reads outside the page\'s folder', async () => {
    const dir = path.join(work, 'saved');
    const page = path.join(dir, 'page.html');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(work, 'outside.css'), 'p { color: #eee }');
    writeFileSync(page, '<html><head><link rel="stylesheet" href="gone.css"><link rel="stylesheet" href="../outside.css"><link rel="alternate stylesheet" href="alt.css"></head><body><p>Text</p></body></html>');
    const loaded = await loadFile(page);
    const styled = await withOwnStylesheets(loaded.html, loaded.source);
    expect(styled.stylesheets.found).toBe(0);
    expect(styled.stylesheets.missing.map((url) => path.basename(url))).toEqual(['gone.css', 'outside.css']);
    expect(styled.html).toBe(loaded.html);
  });
});

describe('clearcopy render --compare-original on a WARC', () => {
  const warc = path.join(work, 'styled.warc.gz');
  const json = path.join(work, 'run.json');
  const reports = path.join(work, 'reports');
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    const enc = new TextEncoder();
    const prose = 'The harbour wall was finished in the spring, after three winters of storms had washed away the old one, and the fishing boats came back to the inner basin for the first time in years.';
    const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The harbour wall</title>
<link rel="stylesheet" href="/static/site.css"><link rel="stylesheet" href="/static/print.css" media="print"></head>
<body><article><h1>The harbour wall</h1>${`<p>${prose}</p>`.repeat(5)}</article></body></html>`;
    const record = (url: string, type: string, body: string) => WARCRecord.create({ url, date: '2020-03-01T10:00:00Z', type: 'response', warcVersion: 'WARC/1.1', httpHeaders: { 'Content-Type': type }, statusline: 'HTTP/1.1 200 OK' }, [enc.encode(body)]);
    const records = [
      record('https://coast.example.org/2020/harbour.html', 'text/html; charset=utf-8', page),
      // Light grey on white: 2.2:1, a contrast failure only the stylesheet makes.
      record('https://coast.example.org/static/site.css', 'text/css', '@import "type.css";\nbody { background: #ffffff; }'),
      record('https://coast.example.org/static/type.css', 'text/css', 'p { color: #b4b4b4; }'),
    ];
    const parts: Uint8Array[] = [];
    for (const r of records) parts.push(await WARCSerializer.serialize(r, { gzip: true }));
    writeFileSync(warc, Buffer.concat(parts));
    result = await runCli(['render', warc, '-o', path.join(work, 'out'), '--reports', reports, '--no-cache', '--compare-original', '--reporter', `json=${json}`]);
  }, 180_000);

  it('audits the archived page styled by its archived stylesheets and names the one missing', () => {
    expect(result.code, result.stderr).toBe(0);
    const [page] = JSON.parse(readFileSync(json, 'utf8')).pages;
    expect(page.original.error).toBeUndefined();
    expect(page.original.stylesheets).toEqual({ found: 2, missing: ['https://coast.example.org/static/print.css'] });
    expect(page.original.criteria['1.4.3']?.error).toBeGreaterThan(0); // the grey text, from the @imported sheet
    expect(page.counts.error).toBe(0); // the copy has its own styles
    const html = readFileSync(path.join(reports, 'index.html'), 'utf8');
    expect(html).toContain('styled by 2 stylesheets of its own, from where it was archived; 1 stylesheet not at hand (https://coast.example.org/static/print.css)');
  });
});
