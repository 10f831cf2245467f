// render's EPUB stage on the run engine: chapters go into the book at their place in the inputs
// however the pages finish, the book is written after the run, and an interrupted run leaves none.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSources, type PageSource } from '../../src/index.js';
import { entryText, readZip } from '../epub-checkers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-epub-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words = `<p>${'A sentence of an archived story, long enough for the page to be an article. '.repeat(12)}</p>`;

/** Story pages loaded after `delayMs(i)` ms, so they can finish in another order than they came. */
function stories(count: number, delayMs: (i: number) => number): PageSource[] {
  return Array.from({ length: count }, (_, i) => ({
    label: `story-${i + 1}.html`,
    rawName: `story-${i + 1}`,
    load: async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs(i)));
      const html = `<!DOCTYPE html><html lang="en"><head><title>Story ${i + 1}</title></head><body><article><h1>Story ${i + 1}</h1>${words}${words}</article></body></html>`;
      return { html, source: { name: `story-${i + 1}`, charset: 'UTF-8', url: `https://example.org/story-${i + 1}` } };
    },
  }));
}

/** The titles of a book's chapters in spine order (after the contents). */
async function spineTitles(file: string): Promise<string[]> {
  const entries = await readZip(file);
  const opf = entryText(entries, 'EPUB/package.opf');
  const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => hrefs.get(m[1]!)!).filter((href) => href !== 'nav.xhtml');
  return spine.map((href) => /<h1[^>]*>([^<]+)</.exec(entryText(entries, `EPUB/${href}`))?.[1] ?? href);
}

const stage = (name: string) => ({ audit: false as const, cache: false as const, workers: { threads: 0 }, output: { dir: path.join(dir, name) } });

describe('a render run with an EPUB stage', () => {
  it('puts each chapter at its place in the inputs, though later pages finish first', async () => {
    const file = path.join(dir, 'ordered.epub');
    const finished: string[] = [];
    const run = await renderSources(stories(4, (i) => (4 - i) * 60), {
      ...stage('ordered'),
      epub: { file, title: 'Four stories' },
      onProgress: (event) => { if (event.type === 'page') finished.push(event.page.name); },
    });
    // The pages did finish out of order: the book's order comes from their index, not their arrival.
    expect(finished).not.toEqual(['story-1', 'story-2', 'story-3', 'story-4']);
    expect(run.epub).toMatchObject({ file, written: { chapters: 4 } });
    expect(await spineTitles(file)).toEqual(['Story 1', 'Story 2', 'Story 3', 'Story 4']);
    expect(entryText(await readZip(file), 'EPUB/package.opf')).toMatch(/<dc:title[^>]*>Four stories</);
  });

  it('writes no book when the run is interrupted, and leaves no temporary file', async () => {
    const file = path.join(dir, 'interrupted.epub');
    const controller = new AbortController();
    const run = await renderSources(stories(12, () => 20), {
      ...stage('interrupted'),
      epub: { file },
      signal: controller.signal,
      onProgress: (event) => { if (event.type === 'page' && event.done === 2) controller.abort('SIGINT'); },
    });
    expect(run.interrupted?.reason).toBe('SIGINT');
    expect(run.epub).toEqual({ file, interrupted: true });
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('says why there is no book when no page became an article', async () => {
    const file = path.join(dir, 'empty.epub');
    const empty: PageSource = { label: 'empty.html', rawName: 'empty', load: async () => ({ html: '<!DOCTYPE html><html lang="en"><title>x</title><p>Hi</p></html>', source: { name: 'empty', charset: 'UTF-8' } }) };
    const run = await renderSources([empty], { ...stage('empty'), epub: { file } });
    expect(run.pages[0]?.status).toBe('failed');
    expect(run.epub).toMatchObject({ file, error: { code: 'NO_ARTICLE' } });
    expect(existsSync(file)).toBe(false);
  });
});
