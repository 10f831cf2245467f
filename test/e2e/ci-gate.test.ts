// The CI gate end to end, through the real CLI (`node dist/cli/bin.js`) on fixture pages with
// known issues (test/fixtures/gate/), real pa11y in Chromium, a local http server on 127.0.0.1,
// and every report checked by a real consumer: ajv with the published JSON Schema and the official
// SARIF 2.1.0 schema, Microsoft's SARIF validator, Python's junitparser.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, closeServer, runCli, type CliResult } from '../helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-ci-'));
const site = path.join(work, 'site');
cpSync(path.join(FIXTURES, 'gate'), site, { recursive: true });
const file = (...parts: string[]) => path.join(work, ...parts);
const read = (...parts: string[]) => readFileSync(file(...parts), 'utf8');
const json = (...parts: string[]) => JSON.parse(read(...parts));
/** The CLI run from the work folder, so pages are named `site/…` as in a repository checkout. */
const cli = (args: string[]) => runCli(args, { cwd: work });

// A local server: a page to audit, a server error, and one that never finishes its answer.
let server: http.Server;
let base = '';
const hanging = new Set<http.ServerResponse>();

const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validateRun = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema', 'run-result.schema.json'), 'utf8')));
const SARIF_SCHEMA = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'sarif-2.1.0.json');
const validateSarif = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));

const PAGES = ['site/broken.html', 'site/clean.html', 'site/warnings.html'];
const ALL_REPORTERS = ['--reporter', 'json=reports/run.json', '--reporter', 'junit=reports/a11y.xml', '--reporter', 'sarif=reports/a11y.sarif',
  '--reporter', 'html=reports/report.html', '--reporter', 'csv=reports/a11y.csv', '--reporter', 'markdown=reports/summary.md', '--reporter', 'cli'];

let main: CliResult;
let failing: CliResult;
let shard1: CliResult;
let shard2: CliResult;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/served.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(readFileSync(path.join(site, 'clean.html')));
    } else if (request.url === '/slow') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<!DOCTYPE html><html lang="en"><title>never ends</title>');
      hanging.add(response); // the body never ends: the fetch must time out
    } else {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('boom');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // One audit with every reporter; the shards and the failure run alongside it (2 cores).
  [main, failing] = await Promise.all([
    cli(['audit', 'site/*.html', `${base}/served.html`, '--no-config', ...ALL_REPORTERS]),
    cli(['audit', 'site/missing.html', 'site/nothing-*.html', `${base}/error`, `${base}/slow`, 'ftp://example.invalid/x.html',
      '--timeout', '3000', '--fail-on', 'never', '--no-config', '--reporter', 'json=reports/failed.json', '--reporter', 'junit=reports/failed.xml', '--reporter', 'sarif=reports/failed.sarif']),
  ]);
  [shard1, shard2] = await Promise.all([
    cli(['audit', 'site/broken.html', '--no-config', '--reporter', 'json=shards/1.json']),
    cli(['audit', 'site/clean.html', 'site/warnings.html', `${base}/served.html`, '--no-config', '--reporter', 'json=shards/2.json']),
  ]);
}, 300_000); // four audits; generous for a loaded 2-core CI machine

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await closeServer(server);
  rmSync(work, { recursive: true, force: true });
});

describe('clearcopy audit: any HTML, files, globs and URLs, one browser', () => {
  it('audits the fixtures and the page served over http, and fails on the known errors (exit 1)', () => {
    // With a report on stdout, the notes about written files go to stderr.
    // (Besides the note, as root, that Chromium's sandbox is off.)
    expect(main.stderr.trim().split('\n').every((line) => /^clearcopy: (\w+ report: reports\/|running as root: Chromium's sandbox is off)/.test(line)), main.stderr).toBe(true);
    expect(main.code).toBe(1);
    const run = json('reports', 'run.json');
    expect(run.pages.map((p: { input: string }) => p.input)).toEqual([...PAGES, `${base}/served.html`]);
    expect(run.pages.every((p: { status: string; audited: boolean }) => p.status === 'ok' && p.audited)).toBe(true);
    const broken = run.pages[0];
    const codes = broken.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { code: string }) => f.code).sort();
    expect(codes).toEqual(['WCAG2AA.Principle1.Guideline1_1.1_1_1.H37', 'WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent', 'image-alt', 'link-name']);
    expect(broken.findings.find((f: { code: string }) => f.code === 'image-alt').line).toBe(11);
    expect(run.pages[1].counts.error).toBe(0);
    expect(run.pages[2].counts).toMatchObject({ error: 0, warning: 2 });
    expect(run.pages[3].counts.error).toBe(0);
    expect(run.gate).toMatchObject({ failOn: 'error', threshold: 0, counted: 4, passed: false });
  });

  it('prints the cli report: each issue with the exact code to ignore it, no colour when not a TTY', () => {
    expect(main.stdout).toContain('ignore  image-alt  (axe)');
    expect(main.stdout).toContain('ignore  WCAG2AA.Principle1.Guideline1_1.1_1_1.H37  (htmlcs)');
    expect(main.stdout).toContain('element html > body > main > img (line 11)');
    expect(main.stdout).toMatch(/✗ failed: 4 errors \(0 allowed\)/);
    expect(main.stdout).not.toMatch(/\u001b\[/);
    expect(main.stderr).toContain('clearcopy: json report: reports/run.json');
  });

  it('--quiet leaves passing pages out of the cli report', async () => {
    const quiet = await cli(['check', 'reports/run.json', '--no-config', '--quiet']);
    expect(quiet.stdout).toContain('site/broken.html');
    expect(quiet.stdout).not.toContain('site/clean.html');
    expect(quiet.code).toBe(1);
  });

  it('fails on every page that could not be audited — missing, no match, server error, timeout, other scheme — even with --fail-on never', () => {
    expect(failing.code).toBe(1);
    const run = json('reports', 'failed.json');
    expect(validateRun(run), JSON.stringify(validateRun.errors)).toBe(true);
    const failed = run.pages.filter((p: { status: string }) => p.status === 'failed');
    const messages = failed.map((p: { error: { message: string } }) => p.error.message).join('\n');
    expect(failed).toHaveLength(5);
    expect(messages).toContain('site/missing.html: no such file or folder');
    expect(messages).toContain('site/nothing-*.html: no files match this pattern');
    expect(messages).toContain(`${base}/error: the server answered 500`);
    // The browser opens the page itself: a body that never ends never fires the load event.
    expect(messages).toContain(`${base}/slow: the page did not finish loading within its 3000 ms`);
    expect(messages).toContain('only http and https URLs');
    expect(run.pages).toHaveLength(5);
    expect(failing.stdout).toContain('failed: 5 pages could not be audited');
  });
});

describe('reporters', () => {
  it('json: matches the published JSON Schema (and the schema rejects a broken report)', () => {
    const run = json('reports', 'run.json');
    expect(validateRun(run), JSON.stringify(validateRun.errors)).toBe(true);
    expect(run.schemaVersion).toBe(1);
    // The check can fail: a finding with an unknown severity and a run without totals are rejected.
    const broken = structuredClone(run);
    broken.pages[0].findings[0].severity = 'fatal';
    expect(validateRun(broken)).toBe(false);
    const { totals: _totals, ...noTotals } = run;
    expect(validateRun(noTotals)).toBe(false);
  });

  it('junit: loads in junitparser with one testsuite per page, one testcase per rule, failures for the errors', () => {
    const counts = junit(file('reports', 'a11y.xml'));
    expect(counts.suites.map((s) => s.name)).toEqual([...PAGES, `${base}/served.html`]);
    const broken = counts.suites[0]!;
    expect(broken.failures).toBe(4);
    expect(broken.failed.sort()).toEqual(['WCAG2AA.Principle1.Guideline1_1.1_1_1.H37', 'WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent', 'image-alt', 'link-name']);
    expect(new Set(broken.cases).size).toBe(broken.cases.length); // one testcase per rule
    expect(counts.suites.slice(1).every((s) => s.failures === 0 && s.errors === 0)).toBe(true);
    expect(counts.failures).toBe(4);
    // A page that could not be audited is a testcase in error.
    const failed = junit(file('reports', 'failed.xml'));
    expect(failed.errors).toBe(5);
    // The parser really checks: a truncated file does not load.
    writeFileSync(file('reports', 'truncated.xml'), read('reports', 'a11y.xml').slice(0, 400));
    expect(() => junit(file('reports', 'truncated.xml'))).toThrow();
  });

  it('sarif: valid against the official SARIF 2.1.0 schema, with helpUri, file + selector locations and fingerprints', () => {
    const log = json('reports', 'a11y.sarif');
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    expect(validateSarif(json('reports', 'failed.sarif'))).toBe(true);
    const [run] = log.runs;
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver.rules.every((r: { helpUri?: string }) => /^https:\/\//.test(r.helpUri ?? ''))).toBe(true);
    const imageAlt = run.results.find((r: { ruleId: string }) => r.ruleId === 'image-alt');
    expect(imageAlt.level).toBe('error');
    expect(imageAlt.locations[0].physicalLocation.artifactLocation.uri).toBe('site/broken.html');
    expect(imageAlt.locations[0].physicalLocation.region.startLine).toBe(11);
    expect(imageAlt.locations[0].logicalLocations[0].fullyQualifiedName).toBe('html > body > main > img');
    expect(Object.values(imageAlt.partialFingerprints)[0]).toMatch(/^[0-9a-f]{20}$/);
    expect(run.tool.driver.rules[imageAlt.ruleIndex].helpUri).toBe('https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html');
    // The schema check can fail.
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    delete broken.version;
    expect(validateSarif(broken)).toBe(false);
  });

  it('sarif: no errors from Microsoft\'s SARIF validator (sarif-multitool), which does catch a broken log', (context) => {
    const tool = multitool();
    if (typeof tool !== 'string') {
      context.skip(tool.skip);
      return;
    }
    const validate = (input: string) => {
      const output = `${input}.validation.sarif`;
      spawnSync(tool, ['validate', input, '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 60_000 });
      const results = JSON.parse(readFileSync(output, 'utf8')).runs[0].results as { level?: string; ruleId: string; message: { text?: string; id?: string } }[];
      return results.filter((r) => (r.level ?? 'warning') === 'error');
    };
    expect(validate(file('reports', 'a11y.sarif'))).toEqual([]);
    expect(validate(file('reports', 'failed.sarif'))).toEqual([]);
    const broken = json('reports', 'a11y.sarif');
    broken.runs[0].results[0].ruleIndex = 9999; // points at no rule
    writeFileSync(file('reports', 'broken.sarif'), JSON.stringify(broken));
    expect(validate(file('reports', 'broken.sarif')).length).toBeGreaterThan(0);
  });

  it('html: one report with totals, charts with text alternatives, data tables and per-page issues; it passes our own audit at WCAG2AAA', async () => {
    const html = read('reports', 'report.html');
    expect(html).toMatch(/<div class="chart" role="img" aria-labelledby="chart-principles-title" aria-describedby="chart-principles-desc">/);
    expect(html).toContain('<svg class="chart-bar"');
    expect(html).toMatch(/<p id="chart-principles-desc" hidden>1\. Perceivable: 2 errors, 1 warning;/);
    expect(html).toContain('<caption id="by-criterion-table">');
    for (const page of PAGES) expect(html).toContain(`<code>${page}</code>`);
    expect(html).toContain('Code to ignore it: <code>image-alt</code> · <a href="https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html">Understanding 1.1.1 Non-text Content</a>');
    expect(html).toContain('Element: <code>html &gt; body &gt; main &gt; img</code>');
    expect(html).toContain('<code class="markup">&lt;img src&#x3D;&quot;chart.png&quot;&gt;</code>');
    const audit = await cli(['audit', 'reports/report.html', '--standard', 'WCAG2AAA', '--no-config', '--reporter', 'json=reports/report-audit.json']);
    const findings = json('reports', 'report-audit.json').pages[0].findings;
    expect(findings.filter((f: { severity: string }) => f.severity === 'error'), audit.stdout).toEqual([]);
    expect(findings.length).toBeGreaterThan(0); // the audit really ran
    expect(audit.code).toBe(0);
  });

  it('markdown: a short summary with the verdict, a page table and the codes to ignore', () => {
    const md = read('reports', 'summary.md');
    expect(md.split('\n')[0]).toBe('### ❌ clearcopy accessibility: failed');
    expect(md).toContain('| `site/broken.html` | ❌ 4 issues counted | 4 | 0 |');
    expect(md).toContain('| `WCAG2AA.Principle1.Guideline1_1.1_1_1.H37` | 1 | 1 |');
    expect(md.split('\n').length).toBeLessThan(40);
  });

  it('csv: RFC 4180 — CRLF rows, quoted fields with commas and quotes, one row per issue', () => {
    const text = read('reports', 'a11y.csv');
    const rows = parseCsv(text);
    const run = json('reports', 'run.json');
    const issues = run.pages.reduce((sum: number, p: { findings: unknown[] }) => sum + p.findings.length, 0);
    expect(rows).toHaveLength(issues + 1);
    expect(rows.every((row) => row.length === rows[0]!.length)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const link = rows.find((row) => row[3] === 'WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent')!;
    expect(link[5]).toBe('Anchor element found with a valid href attribute, but no link content has been supplied.');
    expect(text).toContain('"<img src=""chart.png"">"');
  });
});

describe('gates (re-applied with check, no browser) and exit codes', () => {
  it('check gives the same verdict as the audit, from its JSON report', async () => {
    const result = await cli(['check', 'reports/run.json', '--no-config', '--reporter', 'json=reports/checked.json']);
    expect(result.code).toBe(main.code);
    expect(json('reports', 'checked.json').gate).toEqual(json('reports', 'run.json').gate);
  });

  it('--fail-on never passes; per-rule --ignore; --fail-on warning fails on warnings alone; --threshold N allows N issues', async () => {
    const ignoreErrors = ['--ignore', 'image-alt,link-name', '--ignore', 'WCAG2AA.Principle1.Guideline1_1.1_1_1.H37', '--ignore', 'WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent'];
    const [never, ignored, warnings, four, three] = await Promise.all([
      cli(['check', 'reports/run.json', '--no-config', '--fail-on', 'never']),
      cli(['check', 'reports/run.json', '--no-config', ...ignoreErrors, '--reporter', 'json=reports/ignored.json']),
      cli(['check', 'reports/run.json', '--no-config', ...ignoreErrors, '--fail-on', 'warning']),
      cli(['check', 'reports/run.json', '--no-config', '--threshold', '4']),
      cli(['check', 'reports/run.json', '--no-config', '--threshold', '3']),
    ]);
    expect(never.code).toBe(0);
    expect(ignored.code).toBe(0);
    expect(json('reports', 'ignored.json').gate).toMatchObject({ ignored: 4, counted: 0, passed: true });
    expect(warnings.code).toBe(1);
    expect(warnings.stdout).toContain('failed: 2 errors and warnings (0 allowed)');
    expect(four.code).toBe(0);
    expect(three.code).toBe(1);
  });

  it('per-page and per-rule ignores and fail-on from a config file; CLI flags override it', async () => {
    mkdirSync(file('cfg'), { recursive: true });
    const config = (value: object) => writeFileSync(file('cfg', 'clearcopy.config.json'), JSON.stringify(value));
    // Globs in a config are relative to its folder.
    const withConfig = (...args: string[]) => cli(['check', 'reports/run.json', '--config', 'cfg/clearcopy.config.json', ...args]);
    config({ ignore: ['link-name'], pages: [{ match: '../site/broken.html', ignore: ['image-alt', 'WCAG2AA.Principle1.Guideline1_1.1_1_1.H37'] }] });
    const partly = await withConfig();
    expect(partly.code).toBe(1); // H91 (htmlcs) is not ignored
    expect(partly.stdout).toContain('ignore  WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent');
    expect(partly.stdout).not.toContain('ignore  image-alt');
    expect(partly.stdout).not.toContain('ignore  link-name');
    // A flag replaces the config's list: link-name is back.
    const flagged = await withConfig('--ignore', 'WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent');
    expect(flagged.stdout).toContain('ignore  link-name');
    expect(flagged.stdout).not.toContain('ignore  WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent');
    config({ pages: [{ match: '../site/broken.*', failOn: 'never' }] });
    expect((await withConfig()).code).toBe(0);
    expect((await withConfig('--fail-on', 'warning')).code).toBe(1); // warnings.html still counts
    config({ failOn: 'never', reporters: ['markdown=out/summary.md'] });
    expect((await withConfig()).code).toBe(0);
    expect(read('cfg', 'out', 'summary.md')).toContain('✅ clearcopy accessibility: passed');
    expect((await withConfig('--fail-on', 'error')).code).toBe(1);
  });

  it('--root-element and --hide-elements limit the audit', async () => {
    const [hidden, rooted] = await Promise.all([
      cli(['audit', 'site/broken.html', '--hide-elements', 'img, a', '--no-config']),
      cli(['audit', 'site/broken.html', '--root-element', 'h1', '--no-config']),
    ]);
    expect(hidden.stdout).toMatch(/site\/broken\.html {2}0 errors/);
    expect(hidden.code).toBe(0);
    expect(rooted.code).toBe(0);
  });

  it('--level-cap-when-needs-review (or the config key) moves axe "needs review" results between levels, and with them the verdict', async () => {
    // Text over a background image: axe cannot judge the contrast and says it needs review.
    mkdirSync(file('cap'), { recursive: true });
    writeFileSync(file('cap', 'over-image.html'), `<!DOCTYPE html><html lang="en"><head><title>Over an image</title></head><body><main><h1>Over an image</h1>
      <p style="color:#fff;background:#000 url(https://example.invalid/sky.png)">White text on a photo.</p></main></body></html>`);
    writeFileSync(file('cap', 'clearcopy.config.json'), JSON.stringify({ levelCapWhenNeedsReview: 'error' }));
    const [byDefault, asPa11y, fromConfig] = await Promise.all([
      cli(['audit', 'cap/over-image.html', '--no-config', '--reporter', 'json=reports/cap-default.json']),
      cli(['audit', 'cap/over-image.html', '--no-config', '--level-cap-when-needs-review', 'error', '--reporter', 'json=reports/cap-error.json']),
      runCli(['audit', 'over-image.html', '--reporter', 'json=../reports/cap-config.json'], { cwd: file('cap') }),
    ]);
    const contrast = (report: string): string[] => json('reports', report).pages[0].findings
      .filter((f: { source: string; code: string }) => f.source === 'axe' && f.code === 'color-contrast').map((f: { severity: string }) => f.severity);
    expect(contrast('cap-default.json').length).toBeGreaterThan(0);
    expect(contrast('cap-default.json').every((level) => level === 'warning')).toBe(true);
    expect(contrast('cap-error.json')).toEqual(contrast('cap-default.json').map(() => 'error'));
    expect(contrast('cap-config.json')).toEqual(contrast('cap-error.json'));
    expect([byDefault.code, asPa11y.code, fromConfig.code]).toEqual([0, 1, 1]);
  });

  it('exits 2 with one line for usage, config and unreadable-report errors', async () => {
    const results: Promise<{ args: string[]; result: CliResult }>[] = [];
    for (const args of [['audit'], ['audit', 'site/clean.html', '--fail-on', 'errors'], ['audit', 'site/clean.html', '--reporter', 'xml'],
      ['audit', 'site/clean.html', '--reporter', 'cli', '--reporter', 'json'], ['check', 'reports/nope.json'], ['check', 'reports/a11y.sarif'],
      ['audit', 'site/clean.html', '--baseline', 'reports/none.json'], ['audit', 'site/clean.html', '--update-baseline'],
      ['audit', 'site/clean.html', '--level-cap-when-needs-review', 'fatal']]) {
      results.push(cli([...args, '--no-config']).then((result) => ({ args, result })));
    }
    for (const { args, result } of await Promise.all(results)) {
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      if (args[1] === 'reports/a11y.sarif') expect(result.stderr).toMatch(/^reports\/a11y\.sarif: not a clearcopy JSON report: /);
    }
  });

  it('a config typo names the file, the key and what was expected, and exits 2', async () => {
    mkdirSync(file('typo', 'nested'), { recursive: true });
    writeFileSync(file('typo', 'clearcopy.config.json'), JSON.stringify({ failon: 'warning' }));
    // Found upward from a subfolder.
    const typo = await runCli(['check', '../../reports/run.json'], { cwd: file('typo', 'nested') });
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toMatch(/^\.\.\/clearcopy\.config\.json: unknown key "failon" in the top level \(did you mean "failOn"\?\); expected one of: .*failOn/);
    writeFileSync(file('typo', 'clearcopy.config.json'), JSON.stringify({ pages: [{ match: 'site/*.html', failOn: 'eror' }] }));
    const value = await runCli(['check', '../reports/run.json'], { cwd: file('typo') });
    expect(value.code).toBe(2);
    expect(value.stderr.trim()).toBe('clearcopy.config.json: pages[0].failOn: expected one of "error", "warning", "notice", "never", got string "eror"');
    writeFileSync(file('typo', 'bad.mjs'), 'export default { threshold: "3" };\n');
    const mjs = await runCli(['check', '../reports/run.json', '--config', 'bad.mjs'], { cwd: file('typo') });
    expect(mjs.code).toBe(2);
    expect(mjs.stderr.trim()).toBe('bad.mjs: threshold: expected number, got string "3"');
  });
});

describe('baselines', () => {
  let update: CliResult;
  let same: CliResult;
  let changed: CliResult;
  beforeAll(async () => {
    // Accept today's issues from the existing report (no browser needed)…
    update = await cli(['check', 'reports/run.json', '--no-config', '--baseline', 'reports/baseline.json', '--update-baseline']);
    // …then audit again: nothing new passes.
    same = await cli(['audit', ...PAGES, '--no-config', '--baseline', 'reports/baseline.json', '--reporter', 'sarif=reports/again.sarif', '--reporter', 'markdown=reports/again.md']);
    // Shift every line, fix the empty link, and add one new image without alt text.
    const broken = read('site', 'broken.html')
      .replace('<!DOCTYPE html>', '<!DOCTYPE html>\n<!-- a comment -->\n<!-- that moves every line -->')
      .replace('<p><a href="/more"></a></p>', '<p>A new figure:</p>\n<img src="new-chart.png">');
    writeFileSync(file('site', 'broken.html'), broken);
    changed = await cli(['audit', ...PAGES, '--no-config', '--baseline', 'reports/baseline.json', '--reporter', 'json=reports/changed.json', '--reporter', 'markdown=reports/changed.md', '--reporter', 'cli']);
  }, 300_000);

  it('--update-baseline writes the baseline: page + rule + element fingerprint, no line numbers', () => {
    expect(update.code).toBe(0);
    expect(update.stderr).toContain('baseline written to reports/baseline.json: 6 issues accepted');
    const baseline = json('reports', 'baseline.json');
    expect(baseline.issues).toHaveLength(6); // 4 errors on broken.html, 2 warnings on warnings.html
    expect(Object.keys(baseline.issues[0]).sort()).toEqual(['code', 'fingerprint', 'message', 'page', 'selector', 'severity']);
  });

  it('passes a new audit with only the old issues, with the same SARIF fingerprints', () => {
    expect(same.code).toBe(0);
    expect(read('reports', 'again.md')).toContain('6 known, **0 new**, 0 fixed');
    const prints = (sarif: string) => new Set(json('reports', sarif).runs[0].results
      .filter((r: { level: string }) => r.level !== 'note')
      .map((r: { partialFingerprints: Record<string, string> }) => Object.values(r.partialFingerprints)[0]));
    expect(prints('again.sarif').size).toBe(6);
    expect(prints('again.sarif')).toEqual(prints('a11y.sarif'));
  });

  it('fails on one new issue only, however the lines moved, and says how many were fixed', () => {
    expect(changed.code).toBe(1);
    const run = json('reports', 'changed.json');
    expect(run.gate.baseline).toEqual({ file: 'reports/baseline.json', issues: 6, known: 4, new: 2, fixed: 2 });
    const fresh = run.pages[0].findings.filter((f: { baseline?: string; severity: string }) => f.baseline === 'new' && f.severity === 'error').map((f: { code: string; context: string }) => `${f.code} ${f.context}`);
    expect(fresh.sort()).toEqual(['WCAG2AA.Principle1.Guideline1_1.1_1_1.H37 <img src="new-chart.png">', 'image-alt <img src="new-chart.png">']);
    expect(read('reports', 'changed.md')).toContain('4 known, **2 new**, 2 fixed');
    expect(changed.stdout).toContain('2 errors not in the baseline (0 allowed)');
    expect(changed.stdout).toContain('[new]');
  });

  it('check re-applies the baseline to the report and gives the same verdict', async () => {
    const again = await cli(['check', 'reports/changed.json', '--no-config', '--baseline', 'reports/baseline.json', '--reporter', 'json=reports/changed-check.json']);
    expect(again.code).toBe(changed.code);
    expect(json('reports', 'changed-check.json').gate).toEqual(json('reports', 'changed.json').gate);
    // Without --baseline, the marks in the report are kept: still the same verdict.
    expect((await cli(['check', 'reports/changed.json', '--no-config'])).code).toBe(1);
  });
});

describe('merge-reports: shards combined give the same verdict', () => {
  it('merges two CI shards into one report in any format, with the verdict of the single run', async () => {
    expect(shard1.code).toBe(1);
    expect(shard2.code).toBe(0);
    const merged = await cli(['merge-reports', 'shards/*.json', '--no-config', '--reporter', 'json=reports/merged.json', '--reporter', 'junit=reports/merged.xml', '--reporter', 'markdown']);
    expect(merged.code).toBe(main.code);
    const run = json('reports', 'merged.json');
    expect(validateRun(run), JSON.stringify(validateRun.errors)).toBe(true);
    expect(run.totals).toEqual(json('reports', 'run.json').totals);
    expect(run.gate).toEqual(json('reports', 'run.json').gate);
    expect(merged.stdout.split('\n')[0]).toBe('### ❌ clearcopy accessibility: failed');
    expect(junit(file('reports', 'merged.xml')).failures).toBe(4);
    // And check on the merged report agrees too.
    expect((await cli(['check', 'reports/merged.json', '--no-config'])).code).toBe(main.code);
    expect((await cli(['merge-reports', 'shards/*.json', '--fail-on', 'never', '--no-config'])).code).toBe(0);
  });
});

/** Reads a JUnit file with Python's junitparser (Debian's python3-junitparser). */
function junit(xml: string): { failures: number; errors: number; suites: { name: string; failures: number; errors: number; cases: string[]; failed: string[] }[] } {
  const script = [
    'import json, sys, junitparser',
    'from junitparser import Failure, Error',
    'xml = junitparser.JUnitXml.fromfile(sys.argv[1])',
    'suites = []',
    'for s in xml:',
    '    cases = list(s)',
    '    failed = [c.name for c in cases if any(isinstance(r, Failure) for r in c.result)]',
    '    errored = [c.name for c in cases if any(isinstance(r, Error) for r in c.result)]',
    '    suites.append({"name": s.name, "cases": [c.name for c in cases], "failed": failed, "failures": len(failed), "errors": len(errored), "declared": [s.tests, s.failures, s.errors]})',
    'print(json.dumps({"suites": suites}))',
  ].join('\n');
  const out = execFileSync('/usr/bin/python3', ['-c', script, xml], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const parsed = JSON.parse(out) as { suites: { name: string; cases: string[]; failed: string[]; failures: number; errors: number; declared: number[] }[] };
  // The counts the file declares agree with the testcases the parser found.
  for (const s of parsed.suites) expect(s.declared).toEqual([s.cases.length, s.failures, s.errors]);
  return { suites: parsed.suites, failures: parsed.suites.reduce((n, s) => n + s.failures, 0), errors: parsed.suites.reduce((n, s) => n + s.errors, 0) };
}

/**
 * Microsoft's SARIF validator: the .NET binary of @microsoft/sarif-multitool-linux. Its postinstall
 * `chmod u+x` does not run when npm skips unapproved install scripts, so make it executable here.
 */
function multitool(): string | { skip: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skip: `sarif-multitool's installed binary is for linux-x64, not ${process.platform}-${process.arch}` };
  const binary = path.join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
  if (!existsSync(binary)) return { skip: '@microsoft/sarif-multitool-linux is not installed' };
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    try {
      chmodSync(binary, 0o755);
    } catch (error) {
      return { skip: `cannot make ${binary} executable (${(error as Error).message})` };
    }
  }
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0) return { skip: `Sarif.Multitool does not run here (${(probe.stderr || probe.error?.message || `exit ${probe.status}`).split('\n')[0]})` };
  return binary;
}

/** A strict RFC 4180 parser: throws on a stray quote, so the test fails on bad quoting. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`stray quote at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2; }
    else if (i < text.length) throw new Error(`bare line break or junk at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}
