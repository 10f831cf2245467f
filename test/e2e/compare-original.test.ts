// --compare-original through the real CLI: the original archived page is audited by real pa11y in
// Chromium with its scripts and network off, and the report sets its issues beside the copy's.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditor } from '../../src/index.js';
import { runCli, type CliResult } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-compare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const paragraph = '<p>The archived story goes on here with enough words for Readability to take it as the body of an article, and then some more words.</p>';
// Barriers a copy removes: no lang (3.1.1; a script would add it, if scripts ran), an image without
// alt (1.1.1), an empty link (2.4.4 / 4.1.2), a form field without a label (1.3.1 / 4.1.2).
const original = `<!doctype html><html><head><title>Old story</title>
<script>document.documentElement.lang = 'en';</script>
<meta http-equiv="refresh" content="0; url=https://example.invalid/">
</head><body>
<div class="nav"><a href="/"><img src="logo.png"></a> <a href="/search"></a><input type="text" name="q"></div>
<article><h1>Old story</h1>${paragraph.repeat(6)}</article>
</body></html>`;

describe('clearcopy render --compare-original', () => {
  const input = path.join(work, 'in');
  const reports = path.join(work, 'reports');
  const json = path.join(work, 'run.json');
  let result: CliResult;
  beforeAll(async () => {
    mkdirSync(input, { recursive: true });
    writeFileSync(path.join(input, 'old-story.html'), original);
    result = await runCli(['render', input, '-o', path.join(work, 'out'), '--reports', reports, '--no-cache', '--compare-original', '--reporter', `json=${json}`]);
  }, 180_000);

  it('audits the original with its script off and keeps its counts per success criterion', () => {
    expect(result.code, result.stderr).toBe(0);
    const page = JSON.parse(readFileSync(json, 'utf8')).pages[0];
    expect(page.original.error).toBeUndefined();
    // The script that would have set lang did not run: the missing language is reported.
    expect(page.original.criteria['3.1.1']?.error).toBeGreaterThan(0);
    expect(page.original.criteria['1.1.1']?.error).toBeGreaterThan(0);
    expect(page.original.counts.error).toBeGreaterThanOrEqual(4);
    expect(page.original.bySource.htmlcs.error + page.original.bySource.axe.error).toBe(page.original.counts.error);
    // The copy has none of them.
    expect(page.counts.error).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`before and after \\(1 pages, htmlcs \\+ axe\\): ${page.original.counts.error} errors in the originals, 0 in the copies`));
  });

  it('shows before and after in the HTML report as a chart with a text alternative and data tables', () => {
    const html = readFileSync(path.join(reports, 'index.html'), 'utf8');
    const page = JSON.parse(readFileSync(json, 'utf8')).pages[0];
    expect(html).toContain('<h2 id="before-after">');
    expect(html).toMatch(new RegExp(`<div class="chart" role="img" aria-labelledby="chart-before-after-title" aria-describedby="chart-before-after-desc">`));
    expect(html).toMatch(new RegExp(`All compared pages: ${page.original.counts.error} errors in the original, 0 in the copy`));
    expect(html).toMatch(/<caption id="before-after-criteria">/);
    expect(html).toMatch(/3\.1\.1 Language of Page<\/a><\/th><td>[1-9]\d*<\/td><td>0<\/td>/);
    expect(html).toMatch(new RegExp(`Original page \\(scripts and network off\\): ${page.original.counts.error} errors`));
  });

  it('keeps the report itself free of errors at WCAG2AAA, chart included', async () => {
    const auditor = await openAuditor({ standard: 'WCAG2AAA' });
    try {
      const outcome = await auditor.audit(readFileSync(path.join(reports, 'index.html'), 'utf8'), 'index.html');
      const errors = outcome.findings.filter((f) => f.severity === 'error');
      expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
      expect(outcome.findings.length).toBeGreaterThan(0); // htmlcs always leaves notices: it ran
    } finally {
      await auditor.close();
    }
  }, 120_000);
});
