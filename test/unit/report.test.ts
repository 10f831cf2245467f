// Reporters and the gate fed literal results: no browser.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/config/glob.js';
import { applyGate, baselineOf, exitCodeFor, fingerprintOf, loadConfig, mergeRuns, REPORTERS, runFromReport, type RunResult } from '../../src/index.js';
import { csvField } from '../../src/report/csv.js';
import { xmlEscape } from '../../src/report/junit.js';
import { AXE_CRITERIA, criteriaOf, understandingUrl } from '../../src/model/wcag.js';

const finding = (code: string, severity: 'error' | 'warning' | 'notice', extra: Record<string, string> = {}) =>
  ({ code, message: `${code}, "quoted", message`, severity, source: code.startsWith('WCAG') ? 'htmlcs' as const : 'axe' as const, ...extra });

function literalRun(): RunResult {
  const pages: RunResult['pages'] = [
    { name: 'a', input: 'site/a.html', status: 'ok', audited: true, durationMs: 5, counts: { error: 0, warning: 0, notice: 0 }, bySource: {},
      findings: [finding('image-alt', 'error', { selector: 'main > img:nth-child(2)', context: '<img src="x.png">' }), finding('WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141', 'warning', { selector: 'h3', context: '<h3>x</h3>' }), finding('WCAG2AA.Principle2.Guideline2_4.2_4_2.H25.2', 'notice')] },
    { name: 'b', input: './site/b.html', status: 'failed', audited: false, durationMs: 1, counts: { error: 0, warning: 0, notice: 0 }, bySource: {}, findings: [], error: { code: 'INPUT_NOT_FOUND', message: 'site/b.html: no such file' } },
  ];
  return { schemaVersion: 1, tool: { name: 'clearcopy', version: '0.1.0' }, standard: 'WCAG2AA', runners: ['htmlcs', 'axe'], startedAt: '2024-01-01T00:00:00.000Z', finishedAt: '2024-01-01T00:00:01.000Z', pages, totals: { error: 0, warning: 0, notice: 0, pages: 2, failedPages: 1, auditedPages: 1 } };
}

describe('the gate on literal results', () => {
  it('fingerprints elements by markup, not by position or line', () => {
    const a = fingerprintOf('site/a.html', { code: 'image-alt', selector: 'main > img:nth-child(2)', context: '<img src="x.png">' });
    expect(fingerprintOf('site/a.html', { code: 'image-alt', selector: 'body > div > img:nth-child(9)', context: '<img  src="x.png">' })).toBe(a);
    expect(fingerprintOf('site/a.html', { code: 'image-alt', context: '<img src="y.png">' })).not.toBe(a);
    expect(fingerprintOf('site/other.html', { code: 'image-alt', context: '<img src="x.png">' })).not.toBe(a);
    expect(fingerprintOf('p', { code: 'c', selector: 'ul > li:nth-child(3)' })).toBe(fingerprintOf('p', { code: 'c', selector: 'ul > li:nth-child(4)' }));
  });

  it('ignores by code, severity or prefix, per page by glob, and counts what it dropped', () => {
    const judged = applyGate(literalRun(), { ignore: ['notice'], pages: [{ match: ['site/*.html'], ignore: ['WCAG2AA.Principle1.*'] }] });
    expect(judged.pages[0]!.findings.map((f) => f.code)).toEqual(['image-alt']);
    expect(judged.pages[0]!.ignored).toBe(2);
    expect(judged.gate).toMatchObject({ counted: 1, ignored: 2, passed: false, reasons: ['1 page could not be audited', '1 error (0 allowed)'] });
    expect(exitCodeFor(judged)).toBe(1);
  });

  it('marks known and new issues against a baseline and counts the fixed ones; re-applying gives the same verdict', () => {
    const first = applyGate(literalRun());
    const baseline = baselineOf(first);
    expect(baseline.issues.map((i) => i.code)).toEqual(['WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141', 'image-alt']);
    const next = literalRun();
    next.pages[0]!.findings = [finding('image-alt', 'error', { context: '<img src="x.png">' }), finding('image-alt', 'error', { context: '<img src="new.png">' })];
    const judged = applyGate(next, { baseline: { file: 'b.json', data: baseline } });
    expect(judged.pages[0]!.findings.map((f) => f.baseline)).toEqual(['known', 'new']);
    expect(judged.gate!.baseline).toEqual({ file: 'b.json', issues: 2, known: 1, new: 1, fixed: 1 });
    const again = applyGate(runFromReport(REPORTERS.json!(judged), 'r.json'), { baseline: { file: 'b.json', data: baseline } });
    expect(again.gate).toEqual(judged.gate);
    expect(applyGate(runFromReport(REPORTERS.json!(judged), 'r.json')).gate!.counted).toBe(1); // marks kept without --baseline
  });

  it('merges shards: pages once each, totals recomputed', () => {
    const run = literalRun();
    const merged = mergeRuns([{ ...run, pages: [run.pages[0]!] }, { ...run, pages: [run.pages[1]!, run.pages[0]!] }]);
    expect(merged.pages.map((p) => p.input)).toEqual(['./site/b.html', 'site/a.html']);
    expect(merged.totals.pages).toBe(2);
  });

  it('matches globs like a shell: * within a segment, ** across them', () => {
    expect(globToRegExp('site/*.html').test('site/a.html')).toBe(true);
    expect(globToRegExp('site/*.html').test('site/x/a.html')).toBe(false);
    expect(globToRegExp('site/**/*.html').test('site/x/y/a.html')).toBe(true);
    expect(globToRegExp('*.{html,htm}').test('deep/a.htm')).toBe(true);
    expect(globToRegExp('http://127.0.0.1:*/**').test('http://127.0.0.1:8080/a/b')).toBe(true);
  });
});

describe('reporters on literal results', () => {
  const judged = applyGate(literalRun(), { failOn: 'warning' });

  it('csv quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
  it('csv makes a field a spreadsheet would run as a formula inert, in every column (OWASP)', () => {
    for (const start of ['=', '+', '-', '@']) expect(csvField(`${start}HYPERLINK("http://x.invalid")`)).toBe(`"'${start}HYPERLINK(""http://x.invalid"")"`);
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(-1)).toBe('-1'); // numbers are numbers
    const hostile = '=HYPERLINK("http://x.invalid","open")';
    const run = { ...judged, pages: [{ ...judged.pages[0]!, input: hostile, findings: judged.pages[0]!.findings.map((f) => ({ ...f, message: `@${f.message}`, selector: `+${f.selector ?? ''}`, context: `-${f.context ?? ''}` })) }] };
    const rows = REPORTERS.csv!(run).split('\r\n').slice(1).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.startsWith(`"'=HYPERLINK(`)).toBe(true);
      expect(row).not.toMatch(/(^|,)[=+\-@]/);
    }
    const csv = REPORTERS.csv!(judged);
    expect(csv.split('\r\n')[0]).toBe('page,status,severity,code,source,message,selector,context,line,wcag,help,baseline,fingerprint');
    expect(csv).toContain('"image-alt, ""quoted"", message"');
    expect(csv).toContain('./site/b.html,failed,error,INPUT_NOT_FOUND,clearcopy,site/b.html: no such file');
  });

  it('junit escapes XML and drops characters XML cannot hold', () => {
    expect(xmlEscape('<a href="x">&\'\u0001</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    const xml = REPORTERS.junit!(judged);
    expect(xml).toContain('<testsuites name="clearcopy WCAG2AA" tests="4" failures="2" errors="1"');
    expect(xml).toContain('<error message="site/b.html: no such file" type="INPUT_NOT_FOUND">');
  });

  it('cli shows colours only when asked, and the code to ignore every issue', () => {
    const plain = REPORTERS.cli!(judged);
    const coloured = REPORTERS.cli!(judged, { color: true });
    expect(plain).not.toMatch(/\u001b\[/);
    expect(coloured).toMatch(/\u001b\[31m/);
    expect(plain).toContain('ignore  image-alt  (axe)');
    expect(plain).toContain('ignore  WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141  (htmlcs)');
    expect(plain).toContain('✗ ./site/b.html  could not be audited: site/b.html: no such file');
  });

  it('sarif names rules with help links and makes the failed page a tool notification', () => {
    const log = JSON.parse(REPORTERS.sarif!(judged));
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toBe('site/b.html: no such file');
    expect(log.runs[0].tool.driver.rules.map((r: { helpUri: string }) => r.helpUri)).toContain('https://www.w3.org/WAI/WCAG22/Understanding/info-and-relationships.html');
  });

  it('markdown escapes table cells', () => {
    const run = literalRun();
    run.pages[0]!.input = 'site/a|b.html';
    expect(REPORTERS.markdown!(applyGate(run))).toContain('| `site/a\\|b.html` |');
  });
});

describe('WCAG mapping', () => {
  it('ties htmlcs codes, axe rules and clearcopy rules to success criteria', () => {
    expect(criteriaOf({ code: 'WCAG2AAA.Principle1.Guideline1_4.1_4_6.G17', source: 'htmlcs' })).toEqual(['1.4.6']);
    expect(criteriaOf({ code: 'color-contrast', source: 'axe' })).toEqual(['1.4.3']);
    expect(criteriaOf({ code: 'clearcopy/needs-human-description', source: 'clearcopy' })).toEqual(['1.1.1']);
    expect(understandingUrl('WCAG2AA.Principle1.Guideline1_1.1_1_1.H37')).toBe('https://www.w3.org/WAI/WCAG22/Understanding/non-text-content.html');
  });

  it('keeps the axe table in step with the installed axe-core', () => {
    const axe = createRequire(import.meta.url)('axe-core') as { getRules(): { ruleId: string; tags: string[] }[] };
    const installed: Record<string, string[]> = {};
    for (const rule of axe.getRules()) {
      const criteria = rule.tags.map((t) => /^wcag(\d)(\d)(\d+)$/.exec(t)).filter((m) => m !== null).map((m) => `${m[1]}.${m[2]}.${m[3]}`);
      if (criteria.length) installed[rule.ruleId] = criteria;
    }
    expect(AXE_CRITERIA).toEqual(installed);
  });
});

describe('config files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  it('resolves paths against the config file folder', async () => {
    const file = write('ok.json', JSON.stringify({ baseline: 'b/base.json', reporters: ['junit=r/a.xml', 'cli', { format: 'sarif', output: 'r/a.sarif' }], pages: [{ match: 'site/*.html', failOn: 'never' }] }));
    const config = await loadConfig(file, path.dirname(dir));
    const here = path.basename(dir);
    expect(config.baseline).toBe(path.join(here, 'b', 'base.json'));
    expect(config.reporters).toEqual([{ format: 'junit', output: path.join(here, 'r', 'a.xml') }, { format: 'cli' }, { format: 'sarif', output: path.join(here, 'r', 'a.sarif') }]);
    expect(config.pages![0]!.match).toEqual([`${here}/site/*.html`]);
  });
  it('names the file, the key and what was expected', async () => {
    await expect(loadConfig(write('a.json', '{"treshold": 2}'), dir)).rejects.toThrow('a.json: unknown key "treshold" in the top level (did you mean "threshold"?)');
    await expect(loadConfig(write('b.json', '{"reporters": ["xml=a.xml"]}'), dir)).rejects.toThrow('b.json: reporters[0]: expected "FORMAT" or "FORMAT=PATH" with FORMAT one of cli, json, html, junit, sarif, markdown, csv');
    await expect(loadConfig(write('c.json', '{"pages": [{"match": "x", "rootelement": "main"}]}'), dir)).rejects.toThrow('c.json: unknown key "rootelement" in pages[0] (did you mean "rootElement"?)');
    await expect(loadConfig(write('d.json', '{"threshold": -1}'), dir)).rejects.toThrow('d.json: threshold: expected at least 0, got number -1');
    await expect(loadConfig(write('e.json', '{"standard": 2,}'), dir)).rejects.toThrow(/^e\.json: not valid JSON/);
  });
});
