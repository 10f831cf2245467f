// A cached run with the audit on: previous findings come back, no browser is started, and the
// pipeline streams pages through worker threads and the tab pool.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFiles, type ProgressEvent } from '../../src/index.js';
import { SAMPLES } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-cache-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('renderFiles with the cache and the audit', () => {
  it('audits once, then serves the same findings without starting a browser; a changed audit option audits again', async () => {
    const inputs = path.join(work, 'in');
    for (const name of ['data-table-guide', 'lazy-images-blog', 'huffpost-india-kerry']) cpSync(path.join(SAMPLES, `${name}.html`), path.join(inputs, `${name}.html`));
    const base = { output: { dir: path.join(work, 'out') }, cache: { dir: path.join(work, 'cache') }, workers: { threads: 2 }, audit: { concurrency: 2 } };
    const events: ProgressEvent[] = [];
    const first = await renderFiles([inputs], { ...base, onProgress: (e) => events.push(e) });
    expect(first.totals).toMatchObject({ pages: 3, failedPages: 0, auditedPages: 3 });
    expect(events[0]).toMatchObject({ type: 'start', total: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'end', cached: 0 });

    // A browser that does not exist: the cached run must not need one.
    const cachedEvents: ProgressEvent[] = [];
    const second = await renderFiles([inputs], { ...base, audit: { ...base.audit, browserPath: path.join(work, 'no-such-browser') }, onProgress: (e) => cachedEvents.push(e) });
    expect(second.pages.map(({ durationMs: _d, ...p }) => p)).toEqual(first.pages.map(({ durationMs: _d, ...p }) => p));
    expect(cachedEvents.filter((e) => e.type === 'page').every((e) => e.type === 'page' && e.cached)).toBe(true);

    // Another standard changes the findings: no hit, and now the missing browser is fatal.
    await expect(renderFiles([inputs], { ...base, audit: { standard: 'WCAG2AAA', browserPath: path.join(work, 'no-such-browser') } })).rejects.toMatchObject({ code: 'BROWSER_NOT_FOUND' });
  });
});
