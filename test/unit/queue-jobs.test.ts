// What a queue job carries: page references another process rebuilds the same page from, options
// that cross as JSON (and a refusal for what cannot), ids from what a job is, stale temp files.
import { mkdtempSync, utimesSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessibilityTreeCheck } from '../../src/audit/ax-tree.js';
import { sourceFromRef } from '../../src/load/ref.js';
import { sourcesFromInputs } from '../../src/load/sources.js';
import { jobIdOf, queuedOptions, renderOptionsOf } from '../../src/queue/jobs.js';
import { removeStaleTemps } from '../../src/queue/worker.js';
import { FIXTURES, ROOT, SAMPLES } from '../helpers.js';

describe('page references', () => {
  it('a file, a WARC record and a missing input load the same from their ref, from another folder', async () => {
    const inputs = [path.relative(ROOT, path.join(SAMPLES, 'arabic-news.html')), path.relative(ROOT, path.join(FIXTURES, 'warc', 'sample.warc.gz')), 'no-such-page.html'];
    const { sources } = await sourcesFromInputs(inputs);
    expect(sources.map((source) => source.ref?.kind)).toEqual(['file', 'warc', 'warc', 'failing']);
    const outcome = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: Error) => ({ error: error.message }));
    const cwd = process.cwd();
    process.chdir(ROOT);
    const originals: unknown[] = [];
    const rebuilt: unknown[] = [];
    try {
      for (const source of sources) originals.push(await outcome(source.load({})));
      // Another process, in another folder, from the JSON a job carries.
      process.chdir(os.tmpdir());
      for (const source of sources) rebuilt.push(await outcome(sourceFromRef(JSON.parse(JSON.stringify(source.ref)), source.label, ROOT).load({})));
    } finally {
      process.chdir(cwd);
    }
    expect(rebuilt).toEqual(originals);
    expect(originals.filter((entry) => 'value' in (entry as object))).toHaveLength(3);
    expect(originals[3]).toEqual({ error: 'no-such-page.html: no such file or folder' });
  });

  it('standard input has no reference (it cannot be queued)', async () => {
    const { sources } = await sourcesFromInputs(['-']);
    expect(sources[0]!.ref).toBeUndefined();
  });
});

describe('options a job carries', () => {
  it('cross as JSON; named page checks come back as the functions; the machine keeps its own settings', () => {
    const queued = queuedOptions({
      load: { maxBytes: 1000 },
      extract: { maxElements: 500 },
      render: { text: { width: 60, links: true } },
      audit: { standard: 'WCAG2AA', concurrency: 7, browserPath: '/opt/chrome', pageChecks: [accessibilityTreeCheck], compareOriginal: false },
      output: { dir: 'somewhere' },
      cache: false,
      workers: { threads: 3, timeoutMs: 5000 },
    });
    expect(queued).toEqual({
      load: { maxBytes: 1000 },
      extract: { maxElements: 500 },
      render: { text: { width: 60, links: true } },
      audit: { standard: 'WCAG2AA', pageChecks: ['accessibility-tree'], compareOriginal: false },
      workers: { timeoutMs: 5000 },
    });
    const back = renderOptionsOf(queued, { output: { dir: 'out' }, cache: false, threads: 1, tabs: 2 });
    expect(back.audit && back.audit.pageChecks).toEqual([accessibilityTreeCheck]);
    expect(back).toMatchObject({ output: { dir: 'out' }, cache: false, workers: { threads: 1, timeoutMs: 5000 }, audit: { concurrency: 2 } });
  });

  it('refuses what cannot cross to another process', () => {
    expect(() => queuedOptions({ audit: { pageChecks: [async () => []] } })).toThrow(/page check .* cannot be queued/);
    expect(() => queuedOptions({ extract: { skipSteps: new Set(['x']) } as never })).toThrow(/cannot be queued/);
  });

  it('job ids: the same page and options give the same id, from any folder; another page or option another id', () => {
    const options = queuedOptions({ audit: false });
    const ref = { kind: 'file' as const, path: 'samples/a.html' };
    expect(jobIdOf(ref, ROOT, options)).toBe(jobIdOf({ kind: 'file', path: path.join(ROOT, 'samples/a.html') }, '/elsewhere', options));
    expect(jobIdOf(ref, ROOT, options)).not.toBe(jobIdOf(ref, '/elsewhere', options));
    expect(jobIdOf(ref, ROOT, options)).not.toBe(jobIdOf(ref, ROOT, queuedOptions({ audit: {} })));
  });
});

describe('temporary files a killed worker left', () => {
  it('are removed when their process is gone and they are not fresh; live writes and other files stay', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-temps-'));
    const dead = path.join(dir, '.page.html.999999999.0a1b2c3d.tmp');
    const fresh = path.join(dir, '.other.html.999999999.0a1b2c3e.tmp');
    const live = path.join(dir, `.mine.html.${process.pid}.0a1b2c3f.tmp`);
    const copy = path.join(dir, 'page.html');
    for (const file of [dead, fresh, live, copy]) writeFileSync(file, 'x');
    const old = new Date(Date.now() - 60_000);
    for (const file of [dead, live, copy]) utimesSync(file, old, old);
    expect(await removeStaleTemps([dir, path.join(dir, 'missing')])).toBe(1);
    expect([dead, fresh, live, copy].map((file) => existsSync(file))).toEqual([false, true, true, true]);
    expect(readFileSync(copy, 'utf8')).toBe('x');
  });
});
