// The incremental-run cache, without a browser (audit off): hits, what invalidates them, and the
// copies that must be in the out folder whatever the cache did.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderFiles, type PageResult, type ProgressEvent, type RenderOptions } from '../../src/index.js';
import { ROOT, SAMPLES } from '../helpers.js';

// clearcopy's version, changeable per test (the cache key must include it).
const versionState = vi.hoisted(() => ({ version: '0.0.0-test' }));
vi.mock('../../src/version.js', () => ({
  get VERSION() { return versionState.version; },
  get GENERATOR() { return `clearcopy ${versionState.version}`; },
}));

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let dir: string;
let inputs: string;
let out: string;
let cacheDir: string;

beforeEach((context) => {
  dir = path.join(work, context.task.name.replace(/\W+/g, '-'));
  inputs = path.join(dir, 'in');
  out = path.join(dir, 'out');
  cacheDir = path.join(dir, 'cache');
  for (const name of ['huffpost-india-kerry', 'arabic-news']) cpSync(path.join(SAMPLES, `${name}.html`), path.join(inputs, `${name}.html`));
  versionState.version = '0.0.0-test';
});

async function run(options: RenderOptions = {}): Promise<{ pages: PageResult[]; cached: Record<string, boolean> }> {
  const cached: Record<string, boolean> = {};
  const result = await renderFiles([inputs], { output: { dir: out }, audit: false, cache: { dir: cacheDir }, workers: { threads: 0 }, ...options, onProgress: (event: ProgressEvent) => { if (event.type === 'page') cached[event.page.name] = event.cached === true; } });
  return { pages: result.pages, cached };
}
const comparable = (pages: PageResult[]) => pages.map(({ durationMs: _d, ...rest }) => rest);

describe('cache', () => {
  it('serves unchanged pages from the cache with the same results, and restores missing copies', async () => {
    const first = await run();
    expect(first.cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': false });
    const copies = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
    const second = await run();
    expect(second.cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
    expect(comparable(second.pages)).toEqual(comparable(first.pages));
    // A copy deleted or edited in the out folder comes back from the cache.
    unlinkSync(path.join(out, 'arabic-news.html'));
    writeFileSync(path.join(out, 'huffpost-india-kerry.txt'), 'edited');
    const third = await run();
    expect(third.cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), 'utf8')]))).toEqual(copies);
    // Another out folder gets the copies too.
    const elsewhere = path.join(dir, 'out2');
    const fourth = await run({ output: { dir: elsewhere } });
    expect(fourth.cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
    expect(readFileSync(path.join(elsewhere, 'arabic-news.html'), 'utf8')).toBe(copies['arabic-news.html']);
    expect(fourth.pages[0]!.outputs!.html).toContain('out2');
  });

  it('re-processes a page whose content changed, and only that page', async () => {
    await run();
    const before = readFileSync(path.join(out, 'arabic-news.txt'), 'utf8');
    const file = path.join(inputs, 'arabic-news.html');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('ثلاث مراحل');
    writeFileSync(file, html.replace('ثلاث مراحل', 'أربع مراحل'));
    const second = await run();
    expect(second.cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': true });
    const after = readFileSync(path.join(out, 'arabic-news.txt'), 'utf8');
    expect(after).not.toBe(before);
    expect(after.replace(/\s+/g, ' ')).toContain('أربع مراحل');
  });

  it('re-processes every page when an option that changes the output changes', async () => {
    await run({ render: { text: { width: 80 } } });
    expect((await run({ render: { text: { width: 60 } } })).cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': false });
    expect((await run({ render: { text: { width: 60 } } })).cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
    expect((await run({ render: { text: { width: 60 } }, extract: { minTextLength: 50 } })).cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': false });
    // Options that do not change a copy or a finding keep the cache.
    expect((await run({ render: { text: { width: 60 } }, extract: { minTextLength: 50 }, workers: { threads: 1 }, output: { dir: path.join(dir, 'other') } })).cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
  });

  it('re-processes every page when the templates change', async () => {
    const templates = path.join(dir, 'templates');
    cpSync(path.join(ROOT, 'templates'), templates, { recursive: true });
    await run({ render: { templatesDir: templates } });
    expect((await run({ render: { templatesDir: templates } })).cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
    writeFileSync(path.join(templates, 'styles.css'), `${readFileSync(path.join(templates, 'styles.css'), 'utf8')}\n/* changed */\n`);
    expect((await run({ render: { templatesDir: templates } })).cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': false });
  });

  it('re-processes every page under another clearcopy version', async () => {
    await run();
    versionState.version = '0.0.1-test';
    expect((await run()).cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': false });
    expect((await run()).cached).toEqual({ 'arabic-news': true, 'huffpost-india-kerry': true });
  });

  it('neither reads nor writes with cache: false', async () => {
    await run({ cache: false });
    expect(existsSync(cacheDir)).toBe(false);
    await run();
    expect((await run({ cache: false })).cached).toEqual({ 'arabic-news': false, 'huffpost-india-kerry': false });
  });
});
