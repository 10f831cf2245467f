import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { exitCodeFor, safeName, writeFileAtomic, type RunResult } from '../../src/index.js';
import { uniqueNames } from '../../src/output.js';

describe('public API', () => {
  it('exports exactly the documented set', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ClearcopyError', 'DEFAULT_TEMPLATES_DIR', 'EXIT', 'NORMALIZE_STEPS', 'PREPARE_STEPS', 'REPORTERS', 'VERSION',
      'bodyText', 'decodeHtml', 'exitCodeFor', 'extract', 'findBrowser', 'loadBytes', 'loadFile', 'loadTemplates', 'normalize',
      'openAuditor', 'renderCopy', 'renderHtml', 'renderText', 'safeName', 'sourceFromRef', 'sourcesFromInputs', 'sourcesFromPaths', 'writeFileAtomic', 'extractPage',
      // Which clean-up steps changed a page (for measuring a step where it did something).
      'preparedBy',
      // The run engine and the per-page work of each command (a queue worker runs one page through the same code).
      'runPages', 'renderFiles', 'renderSources', 'renderPage', 'openRenderWork', 'auditFiles', 'auditSources', 'auditPage', 'openAuditWork',
      // The CI gate: judge a run, read and merge reports, config files.
      'applyGate', 'baselineOf', 'findConfig', 'fingerprintOf', 'gateVerdict', 'loadConfig', 'mergeRuns', 'runFromReport',
      // Pages as a browser loads them: the faithful auditor, its static server, sitemaps and URL lists.
      'openLiveAuditor', 'serveSite', 'urlsFromSitemap', 'urlsFromList',
      // EPUB books.
      'createEpubBuilder', 'loadEpubTemplates', 'pageImages', 'renderChapter', 'writeEpub',
    ].sort());
  });
  it('preparedBy names the steps before Readability that changed the page, and nothing for a copy of the document', () => {
    const html = '<html><head><title>t</title></head><body><div class="share-bar"><a href="/s">Share</a></div><article><h1>A headline here</h1><p>The council voted on Tuesday to keep the old viaduct open to walkers and cyclists for another decade, after a long consultation.</p></article></body></html>';
    const doc = api.extract(api.loadBytes(Buffer.from(html), { name: 't' }));
    expect(api.preparedBy(doc)).toContain('clutter-by-class');
    expect(api.preparedBy(doc)).not.toContain('other-stories');
    expect(api.preparedBy(structuredClone(doc))).toEqual([]);
  });
  it('names every prepare and normalize step', () => {
    expect(api.PREPARE_STEPS.map((s) => s.name).every((n) => /^[a-z-]+$/.test(n))).toBe(true);
    expect(new Set(api.NORMALIZE_STEPS.map((s) => s.name)).size).toBe(api.NORMALIZE_STEPS.length);
  });
});

describe('exit codes', () => {
  const run = (pages: Partial<RunResult['pages'][number]>[]): RunResult => {
    const full = pages.map((p) => ({ name: 'p', input: 'p', status: 'ok', audited: true, findings: [], counts: { error: 0, warning: 0, notice: 0 }, bySource: {}, durationMs: 0, ...p })) as RunResult['pages'];
    return { schemaVersion: 1, tool: { name: 'clearcopy', version: '0' }, standard: 'WCAG2AA', runners: [], startedAt: '', finishedAt: '', pages: full, totals: { error: 0, warning: 0, notice: 0, pages: full.length, failedPages: full.filter((p) => p.status === 'failed').length, auditedPages: 0 } };
  };
  const finding = (severity: 'error' | 'warning' | 'notice') => ({ code: 'x', message: 'm', severity, source: 'htmlcs' as const });
  it('passes a clean run and fails on an error', () => {
    expect(exitCodeFor(run([{}]))).toBe(0);
    expect(exitCodeFor(run([{ findings: [finding('error')] }]))).toBe(1);
  });
  it('treats a page that failed as a failure, even with --fail-on never', () => {
    expect(exitCodeFor(run([{ status: 'failed' }]), { failOn: 'never' })).toBe(1);
  });
  it('exits 2 for a command that stopped before it had a run (usage, config, fatal)', () => {
    expect(exitCodeFor({ fatal: { code: 'USAGE', message: 'clearcopy.config.json: unknown key' } })).toBe(2);
  });
  it('does not count issues a baseline knows, and honours a page\'s own failOn', () => {
    expect(exitCodeFor(run([{ findings: [{ ...finding('error'), baseline: 'known' }] }]))).toBe(0);
    expect(exitCodeFor(run([{ findings: [{ ...finding('error'), baseline: 'new' }] }]))).toBe(1);
    expect(exitCodeFor(run([{ failOn: 'never', findings: [finding('error')] }]))).toBe(0);
    expect(exitCodeFor(run([{ failOn: 'warning', findings: [finding('warning')] }]))).toBe(1);
  });
  it('applies --fail-on and --threshold', () => {
    expect(exitCodeFor(run([{ findings: [finding('warning')] }]))).toBe(0);
    expect(exitCodeFor(run([{ findings: [finding('warning')] }]), { failOn: 'warning' })).toBe(1);
    expect(exitCodeFor(run([{ findings: [finding('error'), finding('error')] }]), { threshold: 2 })).toBe(0);
    expect(exitCodeFor(run([{ findings: [finding('error')] }]), { failOn: 'never' })).toBe(0);
  });
});

describe('output files', () => {
  it('makes safe, unique names', () => {
    expect(safeName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('')).toBe('page');
    expect(safeName('a'.repeat(300))).toHaveLength(100);
    expect(uniqueNames(['Story', 'story', 'Story'])).toEqual(['Story', 'story-2', 'Story-3']);
  });
  it('writes atomically inside the folder and refuses to write outside it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-out-'));
    await writeFileAtomic(dir, 'a.html', 'hello');
    expect(readFileSync(path.join(dir, 'a.html'), 'utf8')).toBe('hello');
    expect(readdirSync(dir)).toEqual(['a.html']);
    await expect(writeFileAtomic(dir, '../escape.html', 'x')).rejects.toThrow(/outside the output folder/);
    rmSync(dir, { recursive: true, force: true });
  });
});
