// What the run engine gives every command alike, through the real CLI (`node dist/cli/bin.js`) with
// real pa11y in Chromium: `audit` stops gently on SIGTERM with a valid report, reads WARC archives
// and standard input, and counts failures in its --json events; `render` locates findings on lines
// of the copy (SARIF regions) and honours per-page config rules; `text` flattens deep nesting as
// `render` does; and a CSV report never holds a field a spreadsheet would run as a formula.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT, SHARED, runCli } from '../helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const validateRun = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(JSON.parse(readFileSync(path.join(ROOT, 'schema', 'run-result.schema.json'), 'utf8')));

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-engine-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const site = path.join(work, 'site');
cpSync(path.join(FIXTURES, 'gate'), site, { recursive: true });
const file = (...parts: string[]) => path.join(work, ...parts);
const readJson = (...parts: string[]) => JSON.parse(readFileSync(file(...parts), 'utf8'));
/** The CLI run from the work folder, so pages are named `site/…`. */
const cli = (args: string[], input?: string) => runCli(args, { cwd: work, ...(input !== undefined ? { input } : {}) });
const events = (stderr: string) => stderr.trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; total?: number; failed?: number; totals?: { failedPages: number } });

describe('clearcopy audit, interrupted by SIGTERM', () => {
  it('finishes the pages in flight, writes a valid JSON report marked interrupted, and exits 143', async () => {
    const many = file('many');
    mkdirSync(many, { recursive: true });
    for (let i = 0; i < 40; i++) cpSync(path.join(site, 'broken.html'), path.join(many, `page-${String(i).padStart(2, '0')}.html`));
    const reports = file('int-reports');
    const child = spawn(process.execPath, [CLI, 'audit', 'many', '--no-config', '--concurrency', '1', '--json', '--reporter', 'json=int-reports/run.json'], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!sent && (stderr.match(/"type":"page"/g) ?? []).length >= 2) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(143);
    const run = readJson('int-reports', 'run.json');
    expect(validateRun(run), JSON.stringify(validateRun.errors)).toBe(true);
    expect(run.interrupted.reason).toBe('SIGTERM');
    expect(run.pages.length).toBeGreaterThanOrEqual(2);
    expect(run.pages.length).toBeLessThan(40);
    expect(run.interrupted.notProcessed).toBe(40 - run.pages.length);
    expect(run.pages.every((page: { audited: boolean }) => page.audited)).toBe(true);
    expect(readdirSync(reports)).toEqual(['run.json']); // no temporary file left
  }, 180_000);
});

describe('clearcopy audit reads what render reads', () => {
  it.skipIf(!SHARED)('audits every HTML page of a real WARC, each named by its record', async () => {
    // Its /protocols record is a 935 kB page (5,000+ notices): about 2 minutes of pa11y on 2 busy cores, in either auditor.
    const warc = path.join(SHARED ?? '', 'corpus', 'archives', 'example-iana.warc');
    const result = await cli(['audit', warc, '--no-config', '--fail-on', 'never', '--timeout', '400000', '--reporter', 'json=warc.json']);
    expect(result.code, result.stderr).toBe(0);
    const run = readJson('warc.json');
    expect(run.pages.map((page: { input: string }) => page.input)).toContain(`${warc}#https://www.iana.org/about`);
    expect(run.pages).toHaveLength(6);
    expect(run.pages.every((page: { status: string; audited: boolean }) => page.status === 'ok' && page.audited)).toBe(true);
    expect(run.totals.notice).toBeGreaterThan(0);
    expect(result.stdout).toContain('archive records skipped: 34 revisit, 17 non-HTML, 1 non-2xx');
  }, 600_000);

  it('audits a page from standard input (-)', async () => {
    const result = await cli(['audit', '-', '--no-config', '--reporter', 'json=stdin.json'], readFileSync(path.join(site, 'broken.html'), 'utf8'));
    expect(result.code).toBe(1); // the page has errors
    const run = readJson('stdin.json');
    expect(run.pages).toHaveLength(1);
    expect(run.pages[0]).toMatchObject({ input: '-', name: 'stdin', status: 'ok', audited: true });
    expect(run.pages[0].counts.error).toBeGreaterThan(0);
  }, 60_000);
});

describe('clearcopy audit --json', () => {
  it('starts with the start event and counts failed pages in every event', async () => {
    const result = await cli(['audit', 'site/missing.html', 'site/clean.html', '--no-config', '--json']);
    expect(result.code).toBe(1);
    const all = events(result.stderr);
    expect(all[0]).toMatchObject({ type: 'start', total: 2 });
    const pages = all.filter((event) => event.type === 'page');
    expect(pages).toHaveLength(2);
    expect(pages.at(-1)!.failed).toBe(1);
    expect(all.at(-1)).toMatchObject({ type: 'end', totals: { failedPages: 1 } });
  }, 60_000);
});

describe('clearcopy render locates findings on lines of its copy', () => {
  it('gives SARIF results a region whose line holds the element', async () => {
    const result = await cli(['render', 'site/warnings.html', '--no-config', '--no-cache', '-o', 'sarif-out', '--reports', 'sarif-reports', '--fail-on', 'never', '--reporter', 'sarif=render.sarif']);
    expect(result.code, result.stderr).toBe(0);
    const sarif = readJson('render.sarif');
    const copy = readFileSync(file('sarif-out', 'warnings.html'), 'utf8').split('\n');
    // A finding without a known line gets line 1 and no snippet; a located one its line and the element.
    const located = sarif.runs[0].results.filter((r: { locations: { physicalLocation: { region?: { snippet?: unknown } } }[] }) => r.locations[0]!.physicalLocation.region?.snippet);
    expect(located.length).toBeGreaterThan(0);
    for (const entry of located) {
      const { region, artifactLocation } = entry.locations[0].physicalLocation;
      expect(artifactLocation.uri).toBe('sarif-out/warnings.html');
      const tag = /^<([a-zA-Z][\w-]*)/.exec(region.snippet.text.trim())![1]!;
      expect(copy[region.startLine - 1], JSON.stringify(region)).toContain(`<${tag}`);
    }
  }, 120_000);
});

describe('per-page config rules', () => {
  it('scope the audit of matching pages in render too (rootElement)', async () => {
    const dir = file('rules');
    mkdirSync(path.join(dir, 'site'), { recursive: true });
    for (const name of ['scoped', 'whole']) cpSync(path.join(site, 'warnings.html'), path.join(dir, 'site', `${name}.html`));
    writeFileSync(path.join(dir, 'clearcopy.config.json'), JSON.stringify({ failOn: 'never', pages: [{ match: 'site/scoped.html', rootElement: 'h1' }] }));
    const result = await runCli(['render', 'site', '--no-cache', '-o', 'out', '--reports', 'reports', '--reporter', 'json=run.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
    const pa11y = (name: string) => {
      const page = run.pages.find((p: { name: string }) => p.name === name);
      return page.findings.filter((f: { source: string }) => f.source !== 'clearcopy').length;
    };
    expect(pa11y('whole')).toBeGreaterThan(0);
    expect(pa11y('scoped')).toBeLessThan(pa11y('whole'));
  }, 120_000);
});

describe('clearcopy text', () => {
  it('extracts through the same path as render: deep nesting flattened, the element limit checked before parsing', async () => {
    const depth = 5_000;
    const article = `<article><h1>Deep page</h1><p>${'The words of an article buried under thousands of wrappers. '.repeat(5)}</p></article>`;
    writeFileSync(file('deep.html'), `<!doctype html><html lang="en"><head><title>Deep page</title></head><body>${'<div>'.repeat(depth)}${article}${'</div>'.repeat(depth)}</body></html>`);
    const text = await cli(['text', 'deep.html']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('The words of an article buried under thousands of wrappers.');
    // The same refusal, in the same words, from both commands.
    const refused = await cli(['text', 'deep.html', '--max-elements', '1000']);
    const rendered = await cli(['render', 'deep.html', '--no-audit', '--no-cache', '--max-elements', '1000', '-o', 'deep-out', '--reports', 'deep-reports']);
    expect(refused.code).toBe(1);
    expect(rendered.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^deep\.html: 50\d\d elements is over the 1000-element limit \(raise it with --max-elements\)$/);
    expect(rendered.stderr).toContain(`✗ ${refused.stderr.trim()}`);
  }, 60_000);
});

describe('CSV reports', () => {
  it('make a page name a spreadsheet would run as a formula inert', async () => {
    const name = '=SUM(1+1).html';
    cpSync(path.join(site, 'broken.html'), file(name));
    const result = await cli(['audit', name, '--no-config', '--reporter', 'csv=run.csv']);
    expect(result.code).toBe(1);
    const rows = readFileSync(file('run.csv'), 'utf8').split('\r\n').slice(1).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.startsWith(`'=SUM(1+1).html,`)).toBe(true);
  }, 60_000);
});
