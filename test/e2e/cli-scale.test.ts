// Archive-scale features through the real CLI: shards joined by merge-reports equal one run (with
// the real audit), the cache flags, NDJSON progress, and an interrupted run (SIGINT, SIGTERM)
// that leaves no partial file and a valid report of what finished.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, SAMPLES, runCli } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-scale-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Page { name: string; input: string; status: string; findings: unknown[]; durationMs?: number; outputs?: unknown }
interface Run { pages: Page[]; totals: Record<string, number>; shard?: { index: number; total: number }; interrupted?: { reason: string; notProcessed: number } }

const readRun = (file: string): Run => JSON.parse(readFileSync(file, 'utf8')) as Run;
/** A run's pages without what differs between any two runs (timing). */
const comparable = (run: Run) => run.pages.map(({ durationMs: _duration, ...page }) => page);

/** Small articles Readability takes as articles; `count` of them in `dir`. */
function writeArticles(dir: string, count: number, paragraphs = 6): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const body = `<p>Paragraph of archived story ${i}, long enough to be taken for the body of an article by Readability, with a few more words.</p>`.repeat(paragraphs);
    writeFileSync(path.join(dir, `story-${String(i).padStart(3, '0')}.html`), `<!doctype html><html lang="en"><head><title>Story ${i}</title></head><body><article><h1>Story ${i}</h1>${body}</article></body></html>`);
  }
  return dir;
}

describe('clearcopy render --shard i/n, joined with merge-reports', () => {
  it('gives, audited for real, the same pages, findings and totals as one unsharded run', async () => {
    const out = path.join(work, 'shard-out');
    const common = ['render', SAMPLES, '-o', out, '--no-cache', '--quiet'];
    const whole = await runCli([...common, '--reports', path.join(work, 'r0'), '--reporter', `json=${path.join(work, 'whole.json')}`]);
    expect(whole.code, whole.stderr).toBe(0);
    const parts: string[] = [];
    for (const index of [1, 2]) {
      const file = path.join(work, `part-${index}.json`);
      const part = await runCli([...common, '--shard', `${index}/2`, '--reports', path.join(work, `r${index}`), '--reporter', `json=${file}`]);
      expect(part.code, part.stderr).toBe(0);
      expect(part.stdout).toMatch(new RegExp(`shard ${index}/2: \\d+ of 4 inputs`));
      expect(readRun(file).shard).toEqual({ index, total: 2 });
      parts.push(file);
    }
    const [one, two] = parts.map(readRun);
    // Every page is in exactly one shard.
    expect(one!.pages.length + two!.pages.length).toBe(4);
    expect(new Set([...one!.pages, ...two!.pages].map((p) => p.name)).size).toBe(4);

    const merged = path.join(work, 'merged.json');
    const merge = await runCli(['merge-reports', ...parts, '--reporter', `json=${merged}`]);
    expect(merge.code, merge.stderr).toBe(0);
    const expected = readRun(path.join(work, 'whole.json'));
    const actual = readRun(merged);
    expect(actual.pages.map((p) => p.input)).toEqual(expected.pages.map((p) => p.input));
    expect(comparable(actual)).toEqual(comparable(expected));
    expect(actual.totals).toEqual(expected.totals);
    // The audit really ran: htmlcs leaves notices on every page.
    expect(expected.totals.notice).toBeGreaterThan(0);
  }, 240_000);

  it('refuses a shard that is not I/N', async () => {
    for (const bad of ['0/2', '3/2', '1-2', 'x']) {
      const result = await runCli(['render', SAMPLES, '--no-audit', '--shard', bad, '-o', path.join(work, 'bad')]);
      expect(result.code, bad).toBe(2);
      expect(result.stderr.trim()).toBe(`clearcopy: --shard needs I/N with 1 ≤ I ≤ N (for example 2/4), not "${bad}"`);
    }
  });
});

describe('cache flags and NDJSON progress', () => {
  const pages = writeArticles(path.join(work, 'cache-in'), 5);
  const events = (stderr: string) => stderr.trim().split('\n').map((line) => JSON.parse(line) as { type: string; cached?: boolean; page?: Page });

  it('serves an unchanged page from --cache-dir, redoes a changed one, and --no-cache bypasses it', async () => {
    const cacheDir = path.join(work, 'cache');
    const args = ['render', pages, '--no-audit', '-o', path.join(work, 'cache-out'), '--reports', path.join(work, 'cache-rep'), '--json', '--cache-dir', cacheDir];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    const firstPages = events(first.stderr).filter((e) => e.type === 'page');
    expect(firstPages.map((e) => e.cached)).toEqual([false, false, false, false, false]);
    expect(existsSync(cacheDir)).toBe(true);

    writeFileSync(path.join(pages, 'story-002.html'), readFileSync(path.join(pages, 'story-002.html'), 'utf8').replace('Story 2</h1>', 'Story 2, corrected</h1>'));
    const second = await runCli(args);
    expect(second.code, second.stderr).toBe(0);
    const cached = Object.fromEntries(events(second.stderr).filter((e) => e.type === 'page').map((e) => [e.page!.name, e.cached]));
    expect(cached).toEqual({ 'story-000': true, 'story-001': true, 'story-002': false, 'story-003': true, 'story-004': true });
    expect(readFileSync(path.join(work, 'cache-out', 'story-002.txt'), 'utf8')).toContain('Story 2, corrected');
    const end = events(second.stderr).at(-1)!;
    expect(end).toMatchObject({ type: 'end', cached: 4 });

    const bypass = await runCli([...args.filter((a) => a !== cacheDir && a !== '--cache-dir'), '--no-cache'], { cwd: work });
    expect(bypass.code, bypass.stderr).toBe(0);
    expect(events(bypass.stderr).filter((e) => e.type === 'page').every((e) => e.cached === false)).toBe(true);
    expect(existsSync(path.join(work, '.cache'))).toBe(false); // --no-cache writes no cache either
  }, 120_000);

  it('prints one plain progress line at the start and the end in CI, not a line per page', async () => {
    const result = await runCli(['render', pages, '--no-audit', '--no-cache', '-o', path.join(work, 'ci-out'), '--reports', path.join(work, 'ci-rep')], { env: { CI: 'true' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^clearcopy: 0\/5 pages \(0%\)/);
    expect(lines.at(-1)).toMatch(/^clearcopy: 5\/5 pages \(100%\), [\d.]+ pages\/s, in \d+s, 0 failed$/);
    expect(lines.length).toBeLessThan(5);
  }, 60_000);
});

describe.each(['SIGINT', 'SIGTERM'] as const)('an interrupted render (%s)', (signal) => {
  it('stops taking pages, finishes the ones in flight, and writes a valid report of what finished', async () => {
    const inputs = writeArticles(path.join(work, `many-${signal}`), 60, 40);
    const out = path.join(work, `int-out-${signal}`);
    const reports = path.join(work, `int-rep-${signal}`);
    const json = path.join(work, `int-${signal}.json`);
    const child = spawn(process.execPath, [CLI, 'render', inputs, '--no-audit', '--no-cache', '--workers', '0', '--json', '-o', out, '--reports', reports, '--reporter', `json=${json}`], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // Interrupt once a few pages are done.
      if (!sent && (stderr.match(/"type":"page"/g) ?? []).length >= 3) {
        sent = true;
        child.kill(signal);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(signal === 'SIGINT' ? 130 : 143);

    const run = readRun(json);
    expect(run.interrupted?.reason).toBe(signal);
    expect(run.pages.length).toBeGreaterThanOrEqual(3);
    expect(run.pages.length).toBeLessThan(60);
    expect(run.interrupted!.notProcessed).toBe(60 - run.pages.length);
    expect(run.totals.pages).toBe(run.pages.length);
    expect(stdout).toMatch(/Gate failed: the run was interrupted \(SIG(INT|TERM)\): \d+ pages were not processed/);
    // Every page reported has both copies and its own report, complete; nothing half-written anywhere.
    for (const page of run.pages) {
      expect(page.status).toBe('ok');
      expect(readFileSync(path.join(out, `${page.name}.txt`), 'utf8')).toContain(`Paragraph of archived story`);
      expect(readFileSync(path.join(out, `${page.name}.html`), 'utf8')).toMatch(/<\/html>\s*$/);
      expect(JSON.parse(readFileSync(path.join(reports, `${page.name}.json`), 'utf8')).page.name).toBe(page.name);
    }
    expect(readFileSync(path.join(reports, 'index.html'), 'utf8')).toMatch(/<\/html>\s*$/);
    for (const dir of [out, reports]) expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // No copy exists that the report does not list.
    expect(readdirSync(out).filter((f) => f.endsWith('.html') && f !== 'index.html').length).toBe(run.pages.length);
    // The index of the copies lists what finished.
    expect(readFileSync(path.join(out, 'index.txt'), 'utf8')).toContain(`Reader copies: ${run.pages.length} pages\n`);
  }, 120_000);
});

describe('clearcopy render --extract-timeout', () => {
  it('fails only the page over its extraction time, with one line, and copies the rest', async () => {
    const dir = path.join(work, 'budget');
    writeArticles(dir, 1);
    writeFileSync(path.join(dir, 'huge.html'), `<html lang="en"><head><title>Huge</title></head><body><article><h1>Huge</h1>${'<p>A paragraph of the long archived story with words.</p>'.repeat(100_000)}</article></body></html>`);
    const out = path.join(work, 'budget-out');
    const result = await runCli(['render', dir, '--no-audit', '--no-cache', '--extract-timeout', '1000', '-o', out, '--reports', path.join(work, 'budget-rep')]);
    expect(result.code).toBe(1);
    const failures = result.stderr.split('\n').filter((line) => line.startsWith('✗'));
    expect(failures).toEqual([`✗ ${path.join(dir, 'huge.html')}: extraction took longer than 1 s (limit: --extract-timeout)`]);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(out).sort()).toEqual(['collection.json', 'index.html', 'index.txt', 'story-000.html', 'story-000.txt']);
  }, 60_000);
});
