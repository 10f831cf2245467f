// The run engine around any per-page work: names settled in input order, shards, lanes, progress
// events, interruption and a fatal stop, with sources given as a list or pulled from an async
// iterable as a queue would feed them.
import { describe, expect, it } from 'vitest';
import { ClearcopyError, runPages, type PageSource, type PageWork, type ProgressEvent } from '../../src/index.js';
import { emptyPage, fail, settle } from '../../src/run/engine.js';

/** Sources whose load says their label; `bad` ones fail to load. */
function sources(labels: readonly string[], bad: readonly string[] = []): PageSource[] {
  return labels.map((label) => ({
    label,
    rawName: label.replace(/\.html$/, ''),
    load: async () => {
      if (bad.includes(label)) throw new ClearcopyError('INPUT_NOT_FOUND', `${label}: no such file`);
      return { html: `<p>${label}</p>`, source: { name: label, charset: 'UTF-8' } };
    },
  }));
}

/** A per-page work that loads each page after `delay(label)` ms and records how many run at once. */
function testWork(options: { lanes?: number; delay?: (label: string) => number; fatalOn?: string } = {}) {
  const seen = { peak: 0, running: 0, started: [] as string[] };
  const work: PageWork = {
    standard: 'WCAG2AA',
    runners: ['test'],
    lanes: (total) => Math.min(total ?? options.lanes ?? 2, options.lanes ?? 2),
    async run(source, name) {
      const started = performance.now();
      seen.started.push(source.label);
      seen.peak = Math.max(seen.peak, ++seen.running);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.delay?.(source.label) ?? 1));
        if (source.label === options.fatalOn) throw new Error('no browser');
        const page = emptyPage(name, source.label);
        try {
          await source.load({});
          page.audited = true;
        } catch (error) {
          fail(page, error);
        }
        return { page: settle(page, started) };
      } finally {
        seen.running--;
      }
    },
    close: async () => undefined,
  };
  return { work, seen };
}

async function* arriving(list: readonly PageSource[], pulled: string[]): AsyncGenerator<PageSource> {
  for (const source of list) {
    pulled.push(source.label);
    await new Promise((resolve) => setTimeout(resolve, 1));
    yield source;
  }
}

describe('runPages', () => {
  it('names pages uniquely in input order, keeps input order in the result, and counts failures in its events', async () => {
    const events: ProgressEvent[] = [];
    const { work } = testWork({ delay: (label) => (label === 'a.html' ? 30 : 1) });
    const run = await runPages(sources(['a.html', 'A.html', 'b.html', 'c.html'], ['b.html']), work, { onProgress: (event) => events.push(event) });
    expect(run.pages.map((page) => [page.input, page.name, page.status])).toEqual([['a.html', 'a', 'ok'], ['A.html', 'A-2', 'ok'], ['b.html', 'b', 'failed'], ['c.html', 'c', 'ok']]);
    expect(run).toMatchObject({ standard: 'WCAG2AA', runners: ['test'], totals: { pages: 4, failedPages: 1 } });
    expect(events[0]).toEqual({ type: 'start', total: 4, inputs: 4 });
    const pages = events.filter((event) => event.type === 'page');
    const failedSoFar = pages.map((event) => (event.type === 'page' ? event.failed : -1));
    const failedPage = pages.findIndex((event) => event.type === 'page' && event.page.input === 'b.html');
    expect(failedSoFar).toEqual(failedSoFar.map((_, i) => (i < failedPage ? 0 : 1)));
    expect(pages.at(-1)).toMatchObject({ done: 4, total: 4, failed: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'end', totals: { failedPages: 1 } });
  });

  it('keeps no more pages in flight than the work asks for', async () => {
    const { work, seen } = testWork({ lanes: 3, delay: () => 10 });
    await runPages(sources(Array.from({ length: 12 }, (_, i) => `p${i}.html`)), work);
    expect(seen.peak).toBe(3);
  });

  it('takes sources from an async iterable as they arrive, with the same result as from a list', async () => {
    const labels = Array.from({ length: 9 }, (_, i) => `story-${i}.html`);
    const fromList = await runPages(sources(labels), testWork().work);
    const pulled: string[] = [];
    const { work, seen } = testWork({ lanes: 2, delay: () => 5 });
    let pulledAtFirstStart = -1;
    const run = await runPages(arriving(sources(labels), pulled), { ...work, run: (source, name) => { if (pulledAtFirstStart < 0) pulledAtFirstStart = pulled.length; return work.run(source, name); } });
    const strip = (pages: typeof run.pages) => pages.map(({ durationMs: _d, ...page }) => page);
    expect(strip(run.pages)).toEqual(strip(fromList.pages));
    expect(pulledAtFirstStart).toBeLessThanOrEqual(2); // not read ahead: the first page starts before the rest arrive
    expect(seen.started).toEqual(labels);
  });

  it('gives every shard its stable part, from a list or an iterable, with names settled over all inputs', async () => {
    const labels = Array.from({ length: 20 }, (_, i) => `same.html#${i}`);
    const list = sources(labels).map((source) => ({ ...source, rawName: 'same' }));
    const parts = [];
    for (const index of [1, 2, 3]) {
      const fromList = await runPages(list, testWork().work, { shard: { index, total: 3 } });
      const fromIterable = await runPages(arriving(list, []), testWork().work, { shard: { index, total: 3 } });
      expect(fromIterable.pages.map((page) => page.name)).toEqual(fromList.pages.map((page) => page.name));
      expect(fromList.shard).toEqual({ index, total: 3 });
      parts.push(...fromList.pages);
    }
    const whole = await runPages(list, testWork().work);
    expect(parts.map((page) => page.name).sort()).toEqual(whole.pages.map((page) => page.name).sort());
  });

  it('stops taking pages when its signal aborts, and reports the pages that finished as interrupted', async () => {
    const controller = new AbortController();
    const { work } = testWork({ lanes: 1, delay: () => 5 });
    const run = await runPages(sources(Array.from({ length: 10 }, (_, i) => `p${i}.html`)), work, {
      signal: controller.signal,
      onProgress: (event) => { if (event.type === 'page' && event.done === 3) controller.abort('SIGTERM'); },
    });
    expect(run.pages).toHaveLength(3);
    expect(run.interrupted).toEqual({ reason: 'SIGTERM', notProcessed: 7 });
  });

  it('stops on a fatal error: the pages in flight finish, no new page starts, and the run rejects', async () => {
    const { work, seen } = testWork({ lanes: 2, delay: (label) => (label === 'p1.html' ? 1 : 20), fatalOn: 'p1.html' });
    await expect(runPages(sources(Array.from({ length: 10 }, (_, i) => `p${i}.html`)), work)).rejects.toThrow('no browser');
    expect(seen.running).toBe(0);
    expect(seen.started.length).toBeLessThan(5);
  });

  it('refuses a shard that is not i/n', async () => {
    await expect(runPages(sources(['a.html']), testWork().work, { shard: { index: 2, total: 1 } })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
