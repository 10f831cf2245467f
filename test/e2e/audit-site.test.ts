// `clearcopy audit` on a site's own pages finds what pa11y finds on them: the fixture site has one
// page per loading mechanism (linked and @imported CSS, hidden content, <base>, a web font, script-
// injected content, a timer, fetched JSON, a repairing script, a form opened by actions). pa11y 9
// is run the documented way on the same URLs, in the same Chromium; errors per runner and rule must
// be equal, page by page, for the pages given as URLs and as files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser } from 'puppeteer';
import { openAuditor } from '../../src/audit/auditor.js';
import { BROWSER_ARGS, headlessMode, requireBrowser } from '../../src/audit/browser.js';
import type { PageLoadOptions } from '../../src/audit/live.js';
import { sourcesFromInputs } from '../../src/load/sources.js';
import type { PageResult } from '../../src/model/run-result.js';
import { auditSources, type AuditRunOptions, type AuditSource } from '../../src/run/audit.js';
import { serveSite, type SiteServer } from '../../src/audit/site-server.js';
import { comparisonTable, errorCounts, SITE, SITE_PAGES, type RuleCounts } from '../site-fixture.js';
import { runCli } from '../helpers.js';

const require = createRequire(import.meta.url);
type Pa11yIssue = { code: string; type: string; runner: string };
const pa11y = require('pa11y') as (url: string, options: object) => Promise<{ issues: Pa11yIssue[] }>;

let server: SiteServer;
let browser: Browser;
/** pa11y's errors per page name. */
const expected: Record<string, RuleCounts> = {};

beforeAll(async () => {
  server = await serveSite(SITE);
  const location = await requireBrowser();
  browser = await puppeteer.launch({ executablePath: location.path, headless: headlessMode(location.kind), args: BROWSER_ARGS });
  for (const page of SITE_PAGES) {
    const results = await pa11y(server.urlFor(page.file), { browser, runners: ['htmlcs', 'axe'], levelCapWhenNeedsReview: 'warning', actions: page.actions, timeout: 60_000 });
    expected[page.name] = errorCounts(results.issues);
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page to audit: a file or URL under a short label, with its own loading. */
type SitePage = { label: string; location: string; options?: PageLoadOptions };
const options = (page: (typeof SITE_PAGES)[number]) => (page.actions.length ? { options: { actions: page.actions } } : {});

/** Audits the pages through the run engine's audit work, as `clearcopy audit` does. */
async function auditSite(pages: readonly SitePage[], audit: AuditRunOptions['audit'] = {}): Promise<PageResult[]> {
  const sources: AuditSource[] = [];
  for (const page of pages) {
    const [source] = (await sourcesFromInputs([page.location])).sources;
    sources.push({ ...source!, label: page.label, rawName: page.label, ...(page.options ? { loading: page.options } : {}) });
  }
  return (await auditSources(sources, { audit })).pages;
}
const findingsOf = (page: PageResult) => (page.status === 'ok' ? page.findings : []);

describe('clearcopy audit of a site, against pa11y', () => {
  it('finds the errors pa11y finds on every page, per runner and rule, given URLs and given files', async () => {
    const asUrls: SitePage[] = SITE_PAGES.map((page) => ({ label: page.name, location: server.urlFor(page.file), ...options(page) }));
    const asFiles: SitePage[] = SITE_PAGES.map((page) => ({ label: page.name, location: page.file, ...options(page) }));
    const byUrl = await auditSite(asUrls, { concurrency: 2 });
    const byFile = await auditSite(asFiles, { concurrency: 2 });
    const rows = SITE_PAGES.map((page, index) => {
      const url = byUrl[index]!;
      const file = byFile[index]!;
      expect(url.status, `${page.name} as URL: ${url.error?.message ?? ''}`).toBe('ok');
      expect(file.status, `${page.name} as file: ${file.error?.message ?? ''}`).toBe('ok');
      return { page: page.name, ours: errorCounts(findingsOf(url)), file: errorCounts(findingsOf(file)), theirs: expected[page.name]! };
    });
    console.log(`${comparisonTable(rows)}\n`);
    for (const row of rows) {
      expect(row.ours, `${row.page} (URL)`).toEqual(row.theirs);
      expect(row.file, `${row.page} (file)`).toEqual(row.theirs);
    }
    // The site is not trivially clean: most pages have errors, and the repaired page has none.
    expect(rows.filter((row) => Object.keys(row.theirs).length > 0).length).toBeGreaterThanOrEqual(8);
    expect(expected.repaired).toEqual({});
    // The local files' third-party stylesheet never left the machine, and is listed.
    const font = byFile[SITE_PAGES.findIndex((page) => page.name === 'font')]!;
    expect(font.blocked).toEqual(['https://fonts.example.com/css?family=Nowhere']);
  });

  it('differs from pa11y when pages are set as content with nothing loaded (the old way)', async () => {
    // The check above can fail: clearcopy's fast path for its own copies (content set directly,
    // every request blocked) misses the linked stylesheet's contrast errors and the scripts' work.
    const auditor = await openAuditor({ concurrency: 1, staticPages: true });
    try {
      for (const name of ['contrast-linked', 'script-injected', 'repaired']) {
        const page = SITE_PAGES.find((candidate) => candidate.name === name)!;
        const outcome = await auditor.audit(readFileSync(page.file, 'utf8'), name);
        expect(errorCounts(outcome.findings), name).not.toEqual(expected[name]);
      }
    } finally {
      await auditor.close();
    }
  });

  it('runs each page in a fresh browser context and can turn the scripts off', async () => {
    const pages: SitePage[] = ['script-injected', 'repaired'].map((name) => ({ label: name, location: SITE_PAGES.find((page) => page.name === name)!.file }));
    const off = await auditSite(pages, { concurrency: 1, scripts: false });
    const [injected, repaired] = off.map((result) => (result.status === 'ok' ? errorCounts(result.findings) : undefined));
    // Without scripts nothing is injected and nothing repaired.
    expect(injected).not.toEqual(expected['script-injected']);
    expect(Object.keys(injected ?? {}).some((key) => key.startsWith('axe image-alt'))).toBe(false);
    expect(Object.keys(repaired ?? {}).length).toBeGreaterThan(0);
  });

  it('keeps nothing from one page to the next: storage, cookies, globals and prototypes start fresh', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-isolation-'));
    try {
      // An image without alt text appears when the page sees anything an earlier page left.
      const detect = `<script>
        const left = localStorage.getItem('left') || sessionStorage.getItem('left') || document.cookie.includes('left=') || window.name === 'left' || Array.prototype.left || window.opener;
        if (left) { const img = document.createElement('img'); img.src = 'x.png'; document.querySelector('main').append(img); }
      </script>`;
      const leave = `<script>localStorage.setItem('left', '1'); sessionStorage.setItem('left', '1'); document.cookie = 'left=1'; window.name = 'left'; Array.prototype.left = 1;</script>`;
      const page = (title: string, scripts: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1></main>${scripts}</body></html>`;
      writeFileSync(path.join(dir, 'leave.html'), page('Leave', leave));
      writeFileSync(path.join(dir, 'detect.html'), page('Detect', detect));
      writeFileSync(path.join(dir, 'both.html'), page('Both', leave + detect));
      const pages: SitePage[] = ['leave', 'detect', 'both'].map((name) => ({ label: name, location: path.join(dir, `${name}.html`) }));
      const run = await auditSite(pages, { concurrency: 1 });
      const [leaving, detecting, both] = run.map((result) => (result.status === 'ok' ? errorCounts(result.findings) : { failed: 1 }));
      expect(leaving).toEqual({});
      expect(detecting).toEqual({});
      // The detector works: within one page it sees what the page left.
      expect(both!['axe image-alt']).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('through the real CLI: the files of the site with its .pa11yci.json, and its URLs from the sitemap index', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-site-cli-'));
    type Report = { pages: { input: string; status: string; url?: string; blocked?: string[]; findings: { source: string; severity: string; code: string }[] }[] };
    const nameOf = (input: string) => path.basename(new URL(input, 'http://x/').pathname).replace(/\.html$/, '');
    try {
      // A pa11y-ci user's one changed command, run where the config is.
      const files = await runCli(['audit', '--config', '.pa11yci.json', '--reporter', `json=${path.join(dir, 'files.json')}`], { cwd: SITE });
      expect(files.code, files.stderr).toBe(1);
      expect(files.stderr).toMatch(/blocked on 1 page\(s\).*font\.html \(1\)/);
      const fileReport = JSON.parse(readFileSync(path.join(dir, 'files.json'), 'utf8')) as Report;
      expect(fileReport.pages.map((page) => nameOf(page.input))).toEqual(SITE_PAGES.map((page) => page.name));
      for (const page of fileReport.pages) expect(errorCounts(page.findings), `${page.input} (CLI, file)`).toEqual(expected[nameOf(page.input)]);
      expect(fileReport.pages.find((page) => page.input === 'font.html')?.blocked).toEqual(['https://fonts.example.com/css?family=Nowhere']);

      // The production sitemap index pointed at the served site; the login page (it needs actions) left out.
      const urls = await runCli([
        'audit', '--no-config', '--sitemap', `${server.origin}/sitemap-index.xml`, '--sitemap-find', 'https://www.example.org', '--sitemap-replace', server.origin,
        '--sitemap-exclude', 'login', '--reporter', `json=${path.join(dir, 'urls.json')}`,
      ]);
      expect(urls.code, urls.stderr).toBe(1);
      const urlReport = JSON.parse(readFileSync(path.join(dir, 'urls.json'), 'utf8')) as Report;
      expect(urlReport.pages.map((page) => nameOf(page.input))).toEqual(SITE_PAGES.filter((page) => page.name !== 'login').map((page) => page.name));
      for (const page of urlReport.pages) {
        expect(page.url).toBe(page.input);
        expect(errorCounts(page.findings), `${page.input} (CLI, URL)`).toEqual(expected[nameOf(page.input)]);
      }

      // A sitemap that cannot be read is a failed page naming it, and fails the run.
      const missing = await runCli(['audit', '--no-config', '--sitemap', `${server.origin}/nowhere.xml`]);
      expect(missing.code).toBe(1);
      expect(missing.stderr + missing.stdout).toMatch(/nowhere\.xml: the sitemap could not be read \(the server answered 404/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs through the engine: a config page rule\'s actions, --shard and --json hold for it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-site-engine-'));
    type Report = { pages: { input: string; status: string; findings: { source: string; severity: string; code: string }[] }[] };
    try {
      const login = SITE_PAGES.find((page) => page.name === 'login')!;
      writeFileSync(path.join(dir, 'rules.json'), JSON.stringify({ pages: [{ match: '**/login.html', actions: login.actions }] }));
      const inputs = ['login.html', 'timer.html', 'contrast-linked.html'];
      const pages: Report['pages'] = [];
      for (const shard of ['1/2', '2/2']) {
        const result = await runCli(['audit', ...inputs, '--config', path.join(dir, 'rules.json'), '--shard', shard, '--json', '--fail-on', 'never', '--reporter', `json=${path.join(dir, 'shard.json')}`], { cwd: SITE });
        expect(result.code, result.stderr).toBe(0);
        const events = result.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string });
        expect(events[0]?.type).toBe('start');
        expect(events.at(-1)?.type).toBe('end');
        pages.push(...(JSON.parse(readFileSync(path.join(dir, 'shard.json'), 'utf8')) as Report).pages);
      }
      // The shards together hold every page once, each with pa11y's findings (login only after its actions).
      expect(pages.map((page) => page.input).sort()).toEqual([...inputs].sort());
      for (const page of pages) expect(errorCounts(page.findings), page.input).toEqual(expected[page.input.replace(/\.html$/, '')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves a page without an address (standard input) from memory with its scripts off; the same page as a file runs them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-site-stdin-'));
    try {
      const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Inline</title></head><body><main><h1>Inline</h1></main>
        <script>const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector('main').append(img);</script></body></html>`;
      writeFileSync(path.join(dir, 'inline.html'), html);
      type Report = { pages: { input: string; status: string; findings: { source: string; severity: string; code: string }[] }[] };
      const counts = async (input: string, stdin?: string) => {
        const result = await runCli(['audit', input, '--no-config', '--fail-on', 'never', '--reporter', `json=${path.join(dir, 'run.json')}`], { cwd: dir, ...(stdin ? { input: stdin } : {}) });
        expect(result.code, result.stderr).toBe(0);
        const [page] = (JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as Report).pages;
        expect(page?.status).toBe('ok');
        return errorCounts(page!.findings);
      };
      expect((await counts('inline.html'))['axe image-alt']).toBe(1);
      expect((await counts('-', html))['axe image-alt']).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a page, naming it and the reason, when an action or --wait-for cannot be done, and the run goes on', async () => {
    const file = (name: string) => SITE_PAGES.find((page) => page.name === name)!.file;
    const run = await auditSite([
      { label: 'login', location: file('login'), options: { actions: ['click element #no-such-button'] } },
      { label: 'timer', location: file('timer'), options: { waitFor: '#never' } },
      { label: 'timer-ok', location: file('timer'), options: { waitFor: '#forecast button' } },
      { label: 'missing', location: server.origin + '/missing.html' },
    ], { concurrency: 2, timeoutMs: 6_000 });
    const [action, waitFor, ok, missing] = run;
    expect(action).toMatchObject({ status: 'failed', error: { code: 'AUDIT_FAILED', message: 'login: action "click element #no-such-button" failed (no element matching selector "#no-such-button")' } });
    expect(waitFor).toMatchObject({ status: 'failed', error: { code: 'AUDIT_FAILED', message: 'timer: no element matched --wait-for "#never" in time' } });
    expect(errorCounts(findingsOf(ok!))).toEqual(expected.timer);
    expect(missing).toMatchObject({ status: 'failed', error: { message: 'missing: the server answered 404 Not Found' } });
  });
});
