// The terminal progress renderer: mode choice, the bar, CI lines, quiet, NDJSON.
import { describe, expect, it } from 'vitest';
import { chooseProgressMode, createProgress, formatDuration, formatLine, type ProgressMode } from '../../src/cli/progress.js';
import type { PageResult, ProgressEvent } from '../../src/index.js';

const page = (name: string, status: 'ok' | 'failed' = 'ok'): PageResult => ({
  name, input: `in/${name}.html`, status, audited: status === 'ok', findings: [], counts: { error: 0, warning: 0, notice: 2 }, bySource: {}, durationMs: 5,
  ...(status === 'failed' ? { error: { code: 'NO_ARTICLE', message: `in/${name}.html: no article found` } } : {}),
});

function session(mode: ProgressMode, options: { intervalMs?: number; isTTY?: boolean } = {}) {
  let clock = 0;
  const chunks: string[] = [];
  const stream = { write: (chunk: string) => { chunks.push(chunk); return true; }, isTTY: options.isTTY ?? false, columns: 100 };
  const progress = createProgress({ mode, stream, now: () => clock, intervalMs: options.intervalMs ?? 5_000, redrawMs: 0 });
  const feed = (event: ProgressEvent, at: number) => { clock = at; progress.onProgress(event); };
  return { chunks, feed, progress };
}

function run(feed: (event: ProgressEvent, at: number) => void) {
  feed({ type: 'start', total: 4 }, 0);
  feed({ type: 'page', page: page('a'), done: 1, total: 4, cached: false, failed: 0 }, 1_000);
  feed({ type: 'page', page: page('b', 'failed'), done: 2, total: 4, cached: false, failed: 1 }, 2_000);
  feed({ type: 'retry', input: 'out/c.html', reason: 'the browser process exited' }, 2_500);
  feed({ type: 'page', page: page('c'), done: 3, total: 4, cached: true, failed: 1 }, 6_000);
  feed({ type: 'page', page: page('d'), done: 4, total: 4, cached: false, failed: 1 }, 8_000);
  feed({ type: 'end', totals: { error: 0, warning: 0, notice: 6, pages: 4, failedPages: 1, auditedPages: 3 }, cached: 1, durationMs: 8_000 }, 8_000);
}

describe('chooseProgressMode', () => {
  it('takes json, then quiet, then a bar on a terminal outside CI, else lines', () => {
    const tty = { write: () => true, isTTY: true };
    const pipe = { write: () => true, isTTY: false };
    expect(chooseProgressMode({ json: true, quiet: true, stream: tty })).toBe('json');
    expect(chooseProgressMode({ quiet: true, stream: tty })).toBe('quiet');
    expect(chooseProgressMode({ stream: tty, env: {} })).toBe('bar');
    expect(chooseProgressMode({ stream: tty, env: { CI: 'true' } })).toBe('lines');
    expect(chooseProgressMode({ stream: tty, env: { CI: 'false' } })).toBe('bar');
    expect(chooseProgressMode({ stream: pipe, env: {} })).toBe('lines');
  });
});

describe('createProgress', () => {
  it('draws a bar with done/total, rate, ETA and failures, and prints failures above it', () => {
    const { chunks, feed } = session('bar', { isTTY: true });
    run(feed);
    const text = chunks.join('');
    expect(text).toContain('\r\x1b[2K');
    expect(text).toMatch(/\[█+░+\] 2\/4  50%  1\.0 pages\/s  ETA 2s  1 failed/);
    expect(text).toContain('✗ in/b.html: no article found\n');
    expect(text).toContain('↻ out/c.html: the browser process exited; trying it once more\n');
    expect(text).toMatch(/\[█+\] 4\/4 100%  0\.5 pages\/s  8s  1 failed  1 cached\n$/);
  });

  it('prints one plain line every few seconds in CI, and a last one at the end', () => {
    const { chunks, feed } = session('lines');
    run(feed);
    expect(chunks).toEqual([
      'clearcopy: 0/4 pages (0%), 0.0 pages/s, ETA --, 0 failed\n',
      'clearcopy: 3/4 pages (75%), 0.5 pages/s, ETA 2s, 1 failed, 1 cached, 1 retried\n', // 5 s after the start line
      'clearcopy: 4/4 pages (100%), 0.5 pages/s, in 8s, 1 failed, 1 cached, 1 retried\n', // the end
    ]);
    expect(chunks.every((chunk) => !chunk.includes('\r'))).toBe(true);
  });

  it('prints nothing when quiet', () => {
    const { chunks, feed, progress } = session('quiet');
    run(feed);
    progress.log('a failure line');
    expect(chunks).toEqual([]);
  });

  it('writes one JSON object per event (NDJSON), pages without their findings', () => {
    const { chunks, feed } = session('json');
    run(feed);
    const events = chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['start', 'page', 'page', 'retry', 'page', 'page', 'end']);
    expect(events[2]).toMatchObject({ type: 'page', done: 2, total: 4, failed: 1, cached: false, elapsedMs: 2000, page: { name: 'b', status: 'failed', error: { code: 'NO_ARTICLE' } } });
    expect((events[2]!.page as Record<string, unknown>).findings).toBeUndefined();
    expect(events[6]).toMatchObject({ type: 'end', cached: 1, totals: { pages: 4, failedPages: 1 } });
  });

  it('formats durations and lines', () => {
    expect(formatDuration(43_000)).toBe('43s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatDuration(Infinity)).toBe('--');
    expect(formatLine({ total: 10, done: 5, failed: 0, cached: 0, retries: 0, elapsedMs: 10_000 })).toBe('clearcopy: 5/10 pages (50%), 0.5 pages/s, ETA 10s, 0 failed');
  });
});
