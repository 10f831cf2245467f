// Bad input (issue 7) through the real CLI, in one batch with a good page: every bad input gets
// one line on stderr naming it and the reason, or a correct copy; never a crash, a hang, an empty
// "successful" copy or a stack trace, and the good page is copied all the same.
// (test/e2e/cli.test.ts checks the summary line for an empty file and a login form; this covers the rest.)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES, collapse, runCli, type CliResult } from '../helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PROSE = 'The river rose overnight and the town council met at dawn to decide what to do about the old stone bridge.';
const page = (body: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The bridge</title></head><body>${body}</body></html>`;
const article = (inner: string) => page(`<article><h1>The bridge</h1>${inner}</article>`);
const story = `<p>${PROSE}</p><p>${PROSE} ${PROSE}</p><p>${PROSE}</p>`;

/** Each input: its content and what must come of it (a line on stderr matching `error`, or a copy whose text holds `copy`). */
const INPUTS: Record<string, { content: string | Buffer; error?: RegExp; copy?: string; either?: boolean }> = {
  'empty.html': { content: '', error: /the file is empty/ },
  'whitespace.html': { content: ' \n\t \r\n  ', error: /the file is empty/ },
  'png.html': { content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...new Array<number>(300).fill(0)]), error: /this is binary data, not an HTML page/ },
  'nul-flood.html': { content: article(story).split(' ').join('\0\0 '), error: /this is binary data/ },
  'nul-bytes.html': { content: article(story.replace('overnight', 'over\0night').replace('dawn', 'da\0wn')), copy: 'the town council met at' },
  'truncated.html': { content: article(story).slice(0, article(story).indexOf('</p><p>', 300) + 40), copy: PROSE },
  'invalid-utf8.html': { content: Buffer.concat([Buffer.from(article(`<p>${PROSE} caf`)), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(` ${PROSE}</p><p>${PROSE}</p>`)]), copy: PROSE },
  'login.html': { content: page('<form><label>User name <input name=u></label><label>Password <input type=password name=p></label><button>Log in</button></form>'), error: /login\.html: no article: a login page$/ },
  'frameset.html': { content: '<html><head><title>Frames</title></head><frameset cols="30%,70%"><frame src="menu.html"><frame src="story.html"></frameset></html>', error: /frameset\.html: no article: a frameset/ },
  'signup.html': { content: page('<main><h1>Create your account</h1><p>Join to read every story and get the morning newsletter.</p><form><label>Email <input type=email name=e></label><label>Password <input type=password name=p></label><button>Sign up</button></form></main>'), error: /signup\.html: no article: a sign-up page$/ },
  'redirect-stub.html': { content: '<!DOCTYPE html><html><head><title>Redirecting…</title><meta http-equiv="refresh" content="0; url=https://news.example.org/bridge.html"></head><body><p>Redirecting… <a href="https://news.example.org/bridge.html">Follow this link</a> if nothing happens.</p></body></html>', error: /redirect-stub\.html: no article: a redirect stub to https:\/\/news\.example\.org\/bridge\.html$/ },
  'listing.html': { content: page(`<main><h1>Latest news</h1><ul>${Array.from({ length: 10 }, (_, i) => `<li><h2><a href="/story-${i}.html">The council agrees plan number ${i} after a long debate</a></h2><time>May ${i + 1}, 2019</time></li>`).join('')}</ul></main>`), error: /listing\.html: no article: a listing of links with no body text/ },
  'figure-dropped.html': { content: article(`${story}<figure><img src="https://news.example.org/spacer.gif" width="2" height="2" alt="The bridge at dawn from the north bank"><figcaption>Dawn over the river. Photo: Rui Costa</figcaption></figure><figure><img src="data:image/svg+xml,%3Csvg onload='alert(1)'%3E%3C/svg%3E" alt="A drawing of the deck"><figcaption>The deck as the engineers drew it.</figcaption></figure><p>${PROSE}</p>`), copy: '[Image: The bridge at dawn from the north bank. Dawn over the river. Photo: Rui Costa]' },
  'svg-chart.html': { content: article(`${story}<figure><svg viewBox="0 0 100 50" role="img" aria-label="Bar chart"><rect width="20" height="40"/></svg><figcaption>Crossings per day fell from 4,000 to 900.</figcaption></figure><p>${PROSE}</p>`), copy: 'Crossings per day fell from 4,000 to 900.' },
  'deep-5000.html': { content: article(`${'<div>'.repeat(5000)}${story}${'</div>'.repeat(5000)}`), copy: PROSE },
  // 100,000 paragraphs: a copy when the machine is fast enough for the time budget, else the budget's line.
  'paragraphs-100000.html': { content: article(Array.from({ length: 100_000 }, (_, i) => `<p>Short paragraph ${i}.</p>`).join('')), copy: 'Short paragraph 99999.', error: /extraction took longer than 20 s \(limit: --extract-timeout\)$/, either: true },
};

const input = path.join(work, 'in');
const out = path.join(work, 'out');
const reports = path.join(work, 'reports');
let result: CliResult;
let elapsed = 0;

beforeAll(async () => {
  mkdirSync(input);
  for (const [name, { content }] of Object.entries(INPUTS)) writeFileSync(path.join(input, name), content);
  cpSync(path.join(SAMPLES, 'huffpost-india-kerry.html'), path.join(input, 'good.html'));
  const started = performance.now();
  result = await runCli(['render', input, '-o', out, '--reports', reports, '--no-audit', '--no-cache', '--extract-timeout', '20000']);
  elapsed = performance.now() - started;
}, 180_000);

/** stderr without the progress lines. */
const messages = () => result.stderr.split('\n').filter((line) => line.trim() && !/^clearcopy: \d+\/\d+ pages/.test(line));
const copied = (name: string) => existsSync(path.join(out, name)) || existsSync(path.join(out, name.replace(/\.html$/, '.txt')));

describe('clearcopy render on a batch of bad inputs and one good page', () => {
  it('finishes without a crash or a hang and exits 1', () => {
    expect(result.code, result.stderr).toBe(1);
    expect(elapsed).toBeLessThan(150_000); // about 25 s on an idle 2-core machine; the 100,000 paragraphs are the long pole
    expect(result.stdout).toMatch(new RegExp(`${Object.keys(INPUTS).length + 1} pages, \\d+ failed`));
  });

  it('prints no stack trace and nothing but one line per failed input', () => {
    expect(result.stderr).not.toMatch(/^\s+at \S/m);
    expect(result.stderr).not.toMatch(/\b(TypeError|RangeError|ReferenceError|Error):/);
    for (const line of messages()) expect(line, line).toMatch(/^✗ \S+\.html: \S/);
  });

  it('gives each bad input one line naming it and the reason, or a correct copy', () => {
    for (const [name, expected] of Object.entries(INPUTS)) {
      const lines = messages().filter((line) => line.includes(path.join(input, name)));
      const report = JSON.parse(readFileSync(path.join(reports, name.replace(/\.html$/, '.json')), 'utf8'));
      if (expected.either && report.page.status === 'ok') {
        expect(collapse(readFileSync(path.join(out, name.replace(/\.html$/, '.txt')), 'utf8')), name).toContain(expected.copy);
      } else if (expected.error) {
        expect(lines, name).toHaveLength(1);
        expect(lines[0], name).toMatch(expected.error);
        expect(report.page.status, name).toBe('failed');
        expect(copied(name), `${name} has no copy`).toBe(false);
      } else {
        expect(lines, `${name}: ${lines.join(' | ')}`).toEqual([]);
        expect(report.page.status, name).toBe('ok');
        const text = collapse(readFileSync(path.join(out, name.replace(/\.html$/, '.txt')), 'utf8'));
        expect(text, name).toContain(expected.copy);
        expect(text, name).not.toContain('\0');
        expect(readFileSync(path.join(out, name), 'utf8'), name).toContain('<main');
      }
    }
  });

  it('copies the good page in the same batch', () => {
    expect(messages().filter((line) => line.includes('good.html'))).toEqual([]);
    expect(readFileSync(path.join(out, 'good.txt'), 'utf8')).toContain('US Secretary John Kerry Urges Pakistan To Push Harder Against Extremists');
  });

  it('leaves only whole copies in the out folder: no temporary or partial files', () => {
    const expected = ['good', ...Object.keys(INPUTS).map((name) => name.replace(/\.html$/, ''))]
      .filter((name) => JSON.parse(readFileSync(path.join(reports, `${name}.json`), 'utf8')).page.status === 'ok')
      .flatMap((name) => [`${name}.html`, `${name}.txt`])
      .sort();
    expect(readdirSync(out).sort()).toEqual([...expected, 'collection.json', 'index.html', 'index.txt'].sort());
    for (const file of expected) expect(readFileSync(path.join(out, file), 'utf8').length, file).toBeGreaterThan(200);
  });
});
