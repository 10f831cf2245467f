// The tab pool in real Chromium: any concurrency gives the results of one page at a time, and
// those are pa11y's own results (pa11y called the documented way, on a fresh tab per page).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer from 'puppeteer';
import { findBrowser, openAuditor, renderFiles, type Finding } from '../../src/index.js';
import type { PageCheck } from '../../src/audit/auditor.js';
import { accessibilityTreeCheck } from '../../src/audit/ax-tree.js';
import { BROWSER_ARGS, HEADLESS_SHELL_NAMES, headlessMode, onPath, SYSTEM_BROWSER_NAMES } from '../../src/audit/browser.js';
import { COLLECT_AFTER_BYTES, TabPool } from '../../src/audit/pool.js';
import { SAMPLES } from '../helpers.js';

const require = createRequire(import.meta.url);
const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-pool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first of these executables on the PATH. */
const firstOnPath = (names: readonly string[]) => names.map((name) => onPath(name, process.env.PATH ?? '')).find(Boolean);
const installedShell = firstOnPath(HEADLESS_SHELL_NAMES);
const installedFull = firstOnPath(SYSTEM_BROWSER_NAMES);

const key = (findings: Finding[]) => findings.map((f) => `${f.source} ${f.severity} ${f.code} ${f.selector ?? ''} ${f.context ?? ''}`);
let copies: { label: string; html: string }[] = [];

beforeAll(async () => {
  const run = await renderFiles([SAMPLES], { output: { dir: path.join(work, 'out') }, audit: false, cache: false });
  copies = run.pages.map((page) => ({ label: page.name, html: readFileSync(page.outputs!.html, 'utf8') }));
  // A document with another stylesheet and policy, and one with no policy at all, between the copies:
  // a reused tab must give them what a fresh tab gives.
  copies.splice(1, 0, { label: 'other-policy', html: `<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="style-src 'unsafe-inline'"><title>Other</title><style>p{color:#777;background:#fff}</style></head><body><main><h1>Other</h1><p>Low contrast text here.</p></main></body></html>` });
  copies.push({ label: 'no-policy', html: `<!doctype html><html lang="en"><head><title>Plain</title><style>p{color:#999}</style></head><body><main><h1>Plain</h1><p>Grey text.</p><img src="https://example.invalid/a.png"></main></body></html>` });
});

describe('audit pool', () => {
  it('gives the same findings at concurrency 3 as one page at a time in one tab', async () => {
    const sequential = await openAuditor({ concurrency: 1 });
    const pooled = await openAuditor({ concurrency: 3 });
    try {
      const one: string[][] = [];
      for (const copy of copies) one.push(key((await sequential.audit(copy.html, copy.label)).findings));
      // Twice through, so tabs are reused across different documents.
      const many = await Promise.all([...copies, ...copies].map(async (copy) => key((await pooled.audit(copy.html, copy.label)).findings)));
      expect(many.slice(0, copies.length)).toEqual(one);
      expect(many.slice(copies.length)).toEqual(one);
      expect(one.every((findings) => findings.length > 0)).toBe(true);
    } finally {
      await Promise.all([sequential.close(), pooled.close()]);
    }
  });

  it('gives exactly what pa11y gives on a fresh tab for each page', async () => {
    const pa11y = require('pa11y') as (url: string, options: object) => Promise<{ issues: { code: string; type: string; selector: string; context: string; runner: string }[] }>;
    const location = (await findBrowser())!;
    const browser = await puppeteer.launch({ executablePath: location.path, headless: headlessMode(location.kind), args: BROWSER_ARGS });
    const auditor = await openAuditor({ concurrency: 2 });
    try {
      for (const copy of copies) {
        const tab = await browser.newPage();
        await tab.setRequestInterception(true);
        tab.on('request', (request) => void request.abort('blockedbyclient').catch(() => undefined));
        await tab.setContent(copy.html, { waitUntil: 'load' });
        // clearcopy caps axe's "needs review" results at warning (pa11y's default is error): same setting on both sides.
        const expected = await pa11y(copy.label, { browser, page: tab, ignoreUrl: true, runners: ['htmlcs', 'axe'], standard: 'WCAG2AA', includeWarnings: true, includeNotices: true, levelCapWhenNeedsReview: 'warning' });
        await tab.close();
        const ours = await auditor.audit(copy.html, copy.label);
        const theirs = expected.issues.map((i) => `${i.runner} ${i.type} ${i.code} ${i.selector} ${i.context ?? ''}`);
        expect(ours.findings.map((f) => `${f.source} ${f.severity} ${f.code} ${f.selector ?? ''} ${f.context ?? ''}`), copy.label).toEqual(theirs);
      }
    } finally {
      await Promise.all([browser.close(), auditor.close()]);
    }
  });

  // clearcopy prefers a headless shell when one is installed: it must find what the full browser finds.
  it.skipIf(!installedShell || !installedFull)('gives the same findings in a headless shell as in the full browser', async () => {
    const shell = await openAuditor({ concurrency: 2, browserPath: installedShell! });
    const full = await openAuditor({ concurrency: 2, browserPath: installedFull! });
    try {
      const inShell = await Promise.all(copies.map(async (copy) => key((await shell.audit(copy.html, copy.label)).findings)));
      const inFull = await Promise.all(copies.map(async (copy) => key((await full.audit(copy.html, copy.label)).findings)));
      expect(inShell).toEqual(inFull);
      expect(inShell.flat().length).toBeGreaterThan(copies.length);
    } finally {
      await Promise.all([shell.close(), full.close()]);
    }
  });

  // The pipeline audits its copies (no script, no animation) in frameless tabs when the browser is a
  // headless shell: nothing is painted, rasterised or composited.
  it.skipIf(!installedShell)('finds the same in frameless tabs (staticPages) as in tabs that draw, accessibility-tree checks included', async () => {
    const frames: Record<string, string[]> = { drawing: [], frameless: [] };
    // Whether the tab draws frames: an animation frame comes, or the timer wins.
    const frameProbe = (into: string[]): PageCheck => async (page) => {
      into.push(await page.evaluate(() => new Promise<string>((resolve) => {
        requestAnimationFrame(() => resolve('frame'));
        setTimeout(() => resolve('no frame'), 500);
      })));
      return [];
    };
    const drawing = await openAuditor({ concurrency: 2, browserPath: installedShell!, pageChecks: [accessibilityTreeCheck, frameProbe(frames.drawing!)] });
    const frameless = await openAuditor({ concurrency: 2, browserPath: installedShell!, staticPages: true, pageChecks: [accessibilityTreeCheck, frameProbe(frames.frameless!)] });
    try {
      const a = await Promise.all(copies.map(async (copy) => key((await drawing.audit(copy.html, copy.label)).findings)));
      const b = await Promise.all(copies.map(async (copy) => key((await frameless.audit(copy.html, copy.label)).findings)));
      expect(b).toEqual(a);
      expect(a.flat().some((finding) => finding.startsWith('clearcopy '))).toBe(true); // the tree check ran and found something
      expect(frames.drawing).toEqual(copies.map(() => 'frame'));
      expect(frames.frameless).toEqual(copies.map(() => 'no frame'));
    } finally {
      await Promise.all([drawing.close(), frameless.close()]);
    }
  });

  it('counts axe results that need review as warnings by default, as errors when told (pa11y\'s default)', async () => {
    // Text over a background image: axe cannot judge the contrast and reports it as needing review.
    const html = `<!doctype html><html lang="en"><head><title>Over an image</title></head><body><main><h1>Over an image</h1>
      <p style="color:#fff;background:#000 url(https://example.invalid/sky.png)">White text on a photo.</p></main></body></html>`;
    const byDefault = await openAuditor({ concurrency: 1 });
    const asPa11y = await openAuditor({ concurrency: 1, levelCapWhenNeedsReview: 'error' });
    try {
      const review = (findings: Finding[]) => findings.filter((f) => f.source === 'axe' && f.code === 'color-contrast');
      const warned = (await byDefault.audit(html, 'image')).findings;
      const errored = (await asPa11y.audit(html, 'image')).findings;
      expect(review(warned).length).toBeGreaterThan(0);
      expect(review(warned).map((f) => f.severity)).toEqual(review(warned).map(() => 'warning'));
      expect(review(errored).map((f) => f.severity)).toEqual(review(warned).map(() => 'error'));
      // Only the level moves: the same issues are found either way.
      expect(errored.map((f) => `${f.source} ${f.code} ${f.selector ?? ''}`)).toEqual(warned.map((f) => `${f.source} ${f.code} ${f.selector ?? ''}`));
    } finally {
      await Promise.all([byDefault.close(), asPa11y.close()]);
    }
  });

  it('gives the same findings when tabs are recycled after every page as in one tab reused throughout, garbage-collected after every page', async () => {
    const fresh = await openAuditor({ concurrency: 1, recycleTabAfter: 1 });
    const reused = await openAuditor({ concurrency: 1, recycleTabAfter: 1_000, collectGarbageEvery: 1 });
    try {
      for (const copy of [...copies, ...copies]) {
        const a = key((await fresh.audit(copy.html, copy.label)).findings);
        const b = key((await reused.audit(copy.html, copy.label)).findings);
        expect(a, copy.label).toEqual(b);
      }
    } finally {
      await Promise.all([fresh.close(), reused.close()]);
    }
  });

  it('collects garbage every collectEvery audits, or sooner after much HTML', async () => {
    const pool = new TabPool({ executablePath: (await findBrowser())!.path, concurrency: 1, collectEvery: 5 });
    await pool.start();
    try {
      const tab = await pool.open();
      let collections = 0;
      tab.collectGarbage = async () => { collections++; };
      const audit = async (bytes: number) => { tab.uses++; await pool.tidy(tab, bytes); };
      for (let i = 0; i < 5; i++) await audit(1_000);
      expect(collections).toBe(1); // the fifth audit
      await audit(COLLECT_AFTER_BYTES - 1);
      expect(collections).toBe(1);
      await audit(1); // the byte budget is reached before the tenth audit
      expect(collections).toBe(2);
      for (let i = 0; i < 3; i++) await audit(1_000);
      expect(collections).toBe(3); // the tenth audit; the budget starts again after each collection
    } finally {
      await pool.close();
    }
  });

  it('replaces a tab after recycleAfter audits and forgets the tabs it closed', async () => {
    const pool = new TabPool({ executablePath: (await findBrowser())!.path, concurrency: 1, recycleAfter: 2 });
    await pool.start();
    try {
      const first = (await pool.acquire()) ?? (await pool.open());
      first.uses++;
      pool.release(first);
      const again = await pool.acquire();
      expect(again).toBe(first); // reused while under the limit
      again!.uses++;
      pool.release(again);
      expect(await pool.acquire()).toBeUndefined(); // used twice: closed, a new one is opened
      const second = await pool.open();
      expect(second).not.toBe(first);
      // Only the open tab is watched for a browser loss; the closed one is forgotten.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pool.generation!.tabs.size).toBe(1);
      // A watch ends with its audit: stopping it leaves nothing behind on the tab.
      const { lost, stop } = second.watch();
      stop();
      const settled = await Promise.race([lost.then(() => 'rejected', () => 'rejected'), new Promise((resolve) => setTimeout(() => resolve('pending'), 50))]);
      expect(settled).toBe('pending');
      await pool.discard(second);
      expect(pool.generation!.tabs.size).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
