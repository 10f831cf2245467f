// End to end through the real CLI: real Readability on jsdom, real pa11y (htmlcs + axe) in real
// headless Chromium, files written where a user would find them.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditor } from '../../src/index.js';
import { ROOT, SAMPLES, runCli, type CliResult } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sampleNames = readdirSync(SAMPLES).filter((f) => f.endsWith('.html')).map((f) => f.replace(/\.html$/, ''));

describe.each(['WCAG2AA', 'WCAG2AAA'])('clearcopy render samples --standard %s', (standard) => {
  const out = path.join(work, standard, 'out');
  const reports = path.join(work, standard, 'reports');
  let result: CliResult;
  beforeAll(async () => {
    result = await runCli(['render', SAMPLES, '-o', out, '--reports', reports, '--standard', standard]);
  });

  it('exits 0 with a summary line', () => {
    // stderr holds only progress lines (a line every few seconds without a terminal), never an error.
    expect(result.stderr.split('\n').filter((line) => line && !/^clearcopy: \d+\/\d+ pages \(\d+%\)/.test(line))).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`clearcopy: ${sampleNames.length} pages\\. ${standard}: 0 errors`));
  });

  it('writes an HTML and a text copy and a JSON report for every sample', () => {
    for (const name of sampleNames) {
      expect(existsSync(path.join(out, `${name}.html`)), name).toBe(true);
      expect(existsSync(path.join(out, `${name}.txt`)), name).toBe(true);
      expect(existsSync(path.join(reports, `${name}.json`)), name).toBe(true);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports zero pa11y errors from both runners on every copy, with the runners really run', () => {
    for (const name of sampleNames) {
      const report = JSON.parse(readFileSync(path.join(reports, `${name}.json`), 'utf8'));
      expect(report.standard).toBe(standard);
      expect(report.page.status).toBe('ok');
      expect(report.page.audited).toBe(true);
      const errors = report.page.findings.filter((f: { severity: string }) => f.severity === 'error');
      expect(errors, `${name}: ${JSON.stringify(errors)}`).toEqual([]);
      // A real htmlcs run always leaves notices to check by hand: proof it ran.
      expect(report.page.bySource.htmlcs?.notice, name).toBeGreaterThan(0);
    }
  });

  it('writes an index.html report that itself passes the audit with 0 errors', async () => {
    const html = readFileSync(path.join(reports, 'index.html'), 'utf8');
    for (const name of sampleNames) expect(html).toContain(`${name}.html`);
    const auditor = await openAuditor({ standard: standard as 'WCAG2AA' | 'WCAG2AAA' });
    try {
      const outcome = await auditor.audit(html, 'reports/index.html');
      expect(outcome.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(outcome.findings.length).toBeGreaterThan(0);
    } finally {
      await auditor.close();
    }
  });
});

describe('the audit is not a no-op', () => {
  it('reports the errors of a deliberately inaccessible page', async () => {
    const auditor = await openAuditor({ standard: 'WCAG2AA' });
    try {
      const broken = '<!DOCTYPE html><html><head></head><body><img src="x.png"><a href="/a"></a><p style="color:#aaa;background:#fff">low contrast</p></body></html>';
      const { findings } = await auditor.audit(broken, 'broken.html');
      const errors = findings.filter((f) => f.severity === 'error');
      const codes = errors.map((f) => f.code).join(' ');
      expect(codes).toMatch(/H37|image-alt/); // image without alt
      expect(codes).toMatch(/H57|html-has-lang/); // no lang
      expect(codes).toMatch(/G18|color-contrast/); // contrast
      expect(new Set(errors.map((f) => f.source))).toEqual(new Set(['htmlcs', 'axe']));
    } finally {
      await auditor.close();
    }
  });

  it('fails the run (exit 1) and names the errors when the templates produce an inaccessible copy', async () => {
    const templates = path.join(work, 'bad-templates');
    cpSync(path.join(ROOT, 'templates'), templates, { recursive: true });
    const article = path.join(templates, 'article.html.hbs');
    // Break it the way careless templates do: no language, and an image without alt text.
    writeFileSync(article, readFileSync(article, 'utf8').replace('<html lang="{{lang}}" dir="{{dir}}">', '<html>').replace('<main id="article" tabindex="-1">', '<main id="article" tabindex="-1"><img src="logo.png">'));
    const reports = path.join(work, 'bad-reports');
    const result = await runCli(['render', path.join(SAMPLES, 'huffpost-india-kerry.html'), '-o', path.join(work, 'bad-out'), '--reports', reports, '--templates', templates]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/[1-9]\d* errors/);
    const report = JSON.parse(readFileSync(path.join(reports, 'huffpost-india-kerry.json'), 'utf8'));
    const codes = report.page.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { code: string }) => f.code).join(' ');
    expect(codes).toMatch(/html-has-lang|H57/);
    expect(codes).toMatch(/image-alt|H37/);
    // clearcopy's own accessibility-tree runner reports beside pa11y's.
    expect(codes).toContain('clearcopy/lang-valid');
    expect(codes).toContain('clearcopy/ax-image-name');
  });
});

describe('clearcopy text', () => {
  it('prints the plain-text copy of the seed for a screen reader', async () => {
    const result = await runCli(['text', path.join(SAMPLES, 'huffpost-india-kerry.html'), '--text-width', '0']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('US Secretary John Kerry Urges Pakistan To Push Harder Against Extremists');
    expect(lines[1]).toBe("'Terror groups can't be fought by one nation alone'.");
    expect(result.stdout).toContain('[Image: US Secretary of State John Kerry. Photo: Adnan Abidi/Reuters]');
    expect(result.stdout.split('US Secretary of State John Kerry.').length - 1).toBe(1);
    expect(result.stdout).not.toMatch(/<[a-z]|&[a-z]+;|&#/i);
    expect(result.stdout).not.toMatch(/Also On HuffPost|Patternmaster|8 Series So Good|\bClose\b/);
    expect(result.stdout.match(/This article exists as part of the online archive/g)).toHaveLength(1);
    // The notice comes last, after the body.
    expect(result.stdout.indexOf('This article exists')).toBeGreaterThan(result.stdout.indexOf('accelerated the process'));
  });

  it('fails with one line naming the file when the input is missing', async () => {
    const result = await runCli(['text', path.join(work, 'nope.html')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('nope.html: no such file');
  });
});

describe('CLI usage', () => {
  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('clearcopy render');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('exits 2 with one line for usage errors', async () => {
    for (const args of [[], ['frobnicate'], ['render'], ['render', 'samples', '--standard', 'WCAG3'], ['render', 'samples', '--bogus']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('goes on after a bad page, lists it, and exits 1', async () => {
    const dir = path.join(work, 'batch');
    cpSync(path.join(SAMPLES, 'huffpost-india-kerry.html'), path.join(dir, 'good.html'));
    writeFileSync(path.join(dir, 'empty.html'), '');
    writeFileSync(path.join(dir, 'login.html'), '<html><body><form><label>User <input name=u></label><button>Log in</button></form></body></html>');
    const result = await runCli(['render', dir, '-o', path.join(work, 'batch-out'), '--reports', path.join(work, 'batch-reports'), '--no-audit']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty\.html: the file is empty/);
    expect(result.stderr).toMatch(/login\.html: no article/);
    expect(existsSync(path.join(work, 'batch-out', 'good.html'))).toBe(true);
    expect(existsSync(path.join(work, 'batch-out', 'empty.html'))).toBe(false);
    expect(result.stdout).toMatch(/3 pages, 2 failed/);
  });

  it('names a broken template file and exits 2', async () => {
    const templates = path.join(work, 'broken-templates');
    cpSync(path.join(ROOT, 'templates'), templates, { recursive: true });
    writeFileSync(path.join(templates, 'partials', 'figure.hbs'), '<figure>{{#if src}}<img src="{{src}}"></figure>');
    const broken = await runCli(['render', SAMPLES, '-o', path.join(work, 'x'), '--reports', path.join(work, 'y'), '--no-audit', '--templates', templates]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(path.join(templates, 'partials', 'figure.hbs'));
    rmSync(path.join(templates, 'article.txt.hbs'));
    writeFileSync(path.join(templates, 'partials', 'figure.hbs'), '<figure></figure>');
    const missing = await runCli(['render', SAMPLES, '-o', path.join(work, 'x'), '--reports', path.join(work, 'y'), '--no-audit', '--templates', templates]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(templates, 'article.txt.hbs')}: template file is missing`);
  });
});

describe('clearcopy text with any input', () => {
  it('reads standard input (-)', async () => {
    const result = await runCli(['text', '-', '--text-width', '0'], { input: readFileSync(path.join(SAMPLES, 'huffpost-india-kerry.html'), 'utf8') });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('US Secretary John Kerry Urges Pakistan To Push Harder Against Extremists');
  });
  it('prints every HTML record of a WARC, separated by a form feed', async () => {
    const result = await runCli(['text', path.join(ROOT, 'test', 'fixtures', 'warc', 'sample.warc.gz')]);
    expect(result.code).toBe(0);
    const pages = result.stdout.split('\f\n');
    expect(pages.map((p) => p.split('\n')[0])).toEqual(['The bridge reopens after two years', 'The café on the corner closes']);
  });
  it('writes SSML with --format ssml, and refuses an unknown format', async () => {
    const ssml = await runCli(['text', path.join(SAMPLES, 'arabic-news.html'), '--format', 'ssml']);
    expect(ssml.code).toBe(0);
    expect(ssml.stdout).toContain('<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="ar">');
    const bad = await runCli(['text', path.join(SAMPLES, 'arabic-news.html'), '--format', 'mp3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be text or ssml/);
  });
});
