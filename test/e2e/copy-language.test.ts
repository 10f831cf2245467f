// Through the real CLI, audited at WCAG2AAA in Chromium: copies of the Arabic sample and of real
// German, French and Polish pages (../shared, skipped when absent) carry clearcopy's words in the
// article's language (a DOM walk: every one of them is in the language in force where it stands),
// their text copies' labels too; a page in a language without a catalog gets English marked
// lang="en"; every copy has 0 errors. --ui-lang overrides, and a catalog it does not have is a usage error.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOfPartsProblems, pageWordsOf, textLanguageProblems } from '../../src/i18n/check.js';
import { localizerFor } from '../../src/i18n/localizer.js';
import { loadTemplates } from '../../src/render/templates.js';
import { collapse, parse, runCli, SAMPLES, SHARED } from '../helpers.js';

const { catalogs } = loadTemplates();
const temp = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-copy-language-'));
const inputs = path.join(temp, 'in');
const out = path.join(temp, 'out');
const reports = path.join(temp, 'reports');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Shared pages in German, French and Polish: [output name, file under ../shared/corpus]. */
const SHARED_PAGES: [string, string][] = [
  ['de-heise', 'readability-pages/heise/source.html'],
  ['de-basicthinking', 'trafilatura-dev/html/basicthinking.de.tweets.html.gz'],
  ['fr-lemonde', 'readability-pages/lemonde-1/source.html'],
  ['pl-finowie', 'trafilatura-dev/html/Finowie odkrywają wino _ Res Publica Nowa.html.gz'],
  ['pl-przepisy', 'trafilatura-dev/html/archive.org.przepisy.pl.pierogi.html.gz'],
];
const SWAHILI = `<!DOCTYPE html><html lang="sw"><head><title>Barabara mpya za baiskeli mjini</title><meta name="author" content="Amina Juma">
<meta property="article:published_time" content="2022-11-06T10:00:00+03:00"></head><body><article><h1>Barabara mpya za baiskeli mjini</h1>
<p>Serikali ya mji imetangaza mpango mpya wa kujenga barabara za baiskeli katika maeneo yote ya mji. Kwa mujibu wa maafisa, kazi hiyo itakamilika ndani ya miaka mitano ijayo.</p>
<figure><img src="https://img.example/ramani.jpg"></figure>
<p>Wakazi wengi wamefurahia uamuzi huo, lakini wameomba pia vivuko salama zaidi kwenye makutano makubwa. Kazi ya kwanza itaanza mwezi ujao upande wa kaskazini wa mji.</p>
<p>Wataalamu wanasema barabara hizo zitapunguza msongamano wa magari na kuboresha afya ya watu wanaoishi mjini.</p></article></body></html>`;

const names = ['arabic-news', 'sw-fixture', ...(SHARED ? SHARED_PAGES.map(([name]) => name) : [])];
let run: Awaited<ReturnType<typeof runCli>>;
beforeAll(async () => {
  mkdirSync(inputs, { recursive: true });
  copyFileSync(path.join(SAMPLES, 'arabic-news.html'), path.join(inputs, 'arabic-news.html'));
  writeFileSync(path.join(inputs, 'sw-fixture.html'), SWAHILI);
  if (SHARED) {
    for (const [name, file] of SHARED_PAGES) {
      const bytes = readFileSync(path.join(SHARED, 'corpus', file));
      writeFileSync(path.join(inputs, `${name}.html`), file.endsWith('.gz') ? gunzipSync(bytes) : bytes);
    }
  }
  run = await runCli(['render', inputs, '-o', out, '--reports', reports, '--standard', 'WCAG2AAA', '--no-cache', '--text-width', '0', '-q']);
}, 600_000);

describe.each(names)('the copy of %s', (name) => {
  const html = () => readFileSync(path.join(out, `${name}.html`), 'utf8');
  const text = () => readFileSync(path.join(out, `${name}.txt`), 'utf8');

  it('has 0 errors at WCAG2AAA (the real CLI, pa11y in Chromium)', () => {
    expect(run.code, run.stderr).toBe(0);
    const { page } = JSON.parse(readFileSync(path.join(reports, `${name}.json`), 'utf8')) as { page: { status: string; audited: boolean; counts: { error: number }; findings: { severity: string; code: string }[] } };
    expect([page.status, page.audited]).toEqual(['ok', true]);
    expect(page.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([]);
    expect(page.counts.error).toBe(0);
  });

  it('speaks clearcopy’s words in the language in force wherever they stand (DOM walk)', () => {
    const document = parse(html());
    const lang = document.documentElement.lang;
    expect(languageOfPartsProblems(document, catalogs)).toEqual([]);
    const ui = localizerFor(catalogs, lang, document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr');
    // The skip link and the provenance heading, in the article's language or, without a catalog, in marked English.
    expect(document.querySelector('.skip-link')?.textContent).toBe(ui.text('copy.skipLink'));
    expect(document.querySelector('#about-this-copy')?.textContent).toBe(ui.text('provenance.heading'));
    expect(Boolean(document.querySelector('.skip-link > span[lang="en"][dir="ltr"]'))).toBe(ui.marked);
  });

  it('has a text copy whose labels are translated (or English when there is no catalog)', () => {
    const document = parse(html());
    const copy = text();
    expect(textLanguageProblems(copy, document.documentElement.lang, catalogs, { pageLines: pageWordsOf(document) })).toEqual([]);
    // The byline and dateline lines say what the HTML copy's say, word for word.
    for (const selector of ['.byline', '.dateline']) {
      const element = document.querySelector(selector);
      if (element) expect(copy).toContain(collapse(element.textContent ?? ''));
    }
  });
});

describe('languages', () => {
  it('German, French and Polish copies and the Arabic one carry their own words, the Swahili one marked English', () => {
    const say = (name: string, selector: string) => collapse(parse(readFileSync(path.join(out, `${name}.html`), 'utf8')).querySelector(selector)?.textContent ?? '');
    expect(say('arabic-news', '.byline')).toBe('بقلم سلمى الحداد');
    expect(say('sw-fixture', '.byline')).toBe('By Amina Juma');
    expect(readFileSync(path.join(out, 'sw-fixture.txt'), 'utf8')).toContain('[Image: An image the archived page did not describe.]');
    if (!SHARED) return;
    expect(say('de-basicthinking', '.byline')).toBe('geschrieben von Meike Neitz');
    expect(say('de-heise', '.dateline')).toBe('Veröffentlicht am 8. April 2015');
    expect(say('fr-lemonde', '.reading-time')).toMatch(/^\d[\d\u202f ]* mots, environ \d+ minutes de lecture$/);
    expect(say('pl-finowie', '.byline')).toBe('Autor: Dominika Rafalska');
    expect(say('pl-przepisy', '.byline')).toBe('Autor: przepisy.pl');
  });
});

describe('the index of the copies', () => {
  const index = () => parse(readFileSync(path.join(out, 'index.html'), 'utf8'));
  it('says of each copy what the copy itself says, in the copy\'s language, and clearcopy\'s words in the language in force (DOM walk)', () => {
    const document = index();
    expect(document.documentElement.lang).toBe('en');
    expect(languageOfPartsProblems(document, catalogs, { pageWords: '.collection h2, .site-name' })).toEqual([]);
    for (const name of names) {
      const entry = document.querySelector(`li:has(> h2 > a[href="${name}.html"])`);
      const copy = parse(readFileSync(path.join(out, `${name}.html`), 'utf8'));
      expect(entry?.getAttribute('lang'), name).toBe(copy.documentElement.lang);
      expect(entry?.getAttribute('dir'), name).toBe(copy.documentElement.dir || 'ltr');
      for (const selector of ['.byline', '.dateline', '.reading-time']) {
        const said = copy.querySelector(`header ${selector}`);
        if (said) expect(collapse(entry?.querySelector(selector)?.textContent ?? ''), `${name} ${selector}`).toBe(collapse(said.textContent ?? ''));
      }
    }
    expect(collapse(document.querySelector('li[lang="ar"] .byline')?.textContent ?? '')).toBe('بقلم سلمى الحداد');
    expect(document.querySelector('li[lang="sw"] .byline > span[lang="en"][dir="ltr"]')).not.toBeNull();
    const text = readFileSync(path.join(out, 'index.txt'), 'utf8');
    expect(text).toContain('\nبقلم سلمى الحداد\n');
    expect(text.startsWith(`Reader copies: ${names.length} pages\n`)).toBe(true);
  });

  it('is in the --ui-lang language when one is asked for', async () => {
    const folder = path.join(temp, 'index-de');
    const result = await runCli(['render', path.join(inputs, 'arabic-news.html'), path.join(inputs, 'sw-fixture.html'), '--no-audit', '--no-cache', '-o', folder, '-q', '--ui-lang', 'de']);
    expect(result.code, result.stderr).toBe(0);
    const document = parse(readFileSync(path.join(folder, 'index.html'), 'utf8'));
    expect([document.documentElement.lang, collapse(document.querySelector('h1')?.textContent ?? '')]).toEqual(['de', 'Lesefassungen']);
    expect(collapse(document.querySelector('li[lang="ar"] .byline')?.textContent ?? '')).toBe('Von سلمى الحداد');
    expect(languageOfPartsProblems(document, catalogs, { pageWords: '.collection h2, .site-name' })).toEqual([]);
  });
});

describe('speech', () => {
  const espeak = spawnSync('espeak-ng', ['--version']).status === 0;
  it.skipIf(!espeak)('espeak-ng says the marked English words with its English voice inside a Swahili copy', async () => {
    const ssml = await runCli(['text', path.join(inputs, 'sw-fixture.html'), '--format', 'ssml']);
    const phonemes = (args: string[], input?: string) => spawnSync('espeak-ng', ['-q', '-x', ...args], { input, encoding: 'utf8' }).stdout.replace(/\s+/g, ' ').trim();
    const spoken = phonemes(['-m'], ssml.stdout);
    expect(spoken).toContain(phonemes(['-v', 'en-us', 'Published November 6, 2022']));
    expect(spoken).not.toContain(phonemes(['-v', 'sw', 'Published November 6, 2022']));
    expect(spoken).toContain(phonemes(['-v', 'sw', 'Serikali ya mji imetangaza mpango mpya']));
  });
});

describe('--ui-lang', () => {
  it('puts clearcopy’s words in the language asked for, isolated in the rtl text', async () => {
    const result = await runCli(['text', path.join(SAMPLES, 'arabic-news.html'), '--ui-lang', 'de']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\n\u2066Von سلمى الحداد\u2069\n\u2066Veröffentlicht am 12. Februar 2024\u2069\n');
    const ssml = await runCli(['text', path.join(SAMPLES, 'arabic-news.html'), '--format', 'ssml', '--ui-lang', 'de']);
    expect(ssml.stdout).toContain('<s xml:lang="de-DE">Von سلمى الحداد</s>');
  });
  it('refuses a language it has no catalog for, or no language tag, with one line and exit 2', async () => {
    const none = await runCli(['text', path.join(SAMPLES, 'arabic-news.html'), '--ui-lang', 'xx']);
    expect([none.code, none.stdout, none.stderr.trim().split('\n').length]).toEqual([2, '', 1]);
    expect(none.stderr).toMatch(/^clearcopy: no message catalog for --ui-lang xx \(there are: ar, cs, de, en,/);
    const bad = await runCli(['render', path.join(SAMPLES, 'arabic-news.html'), '--no-audit', '-o', path.join(temp, 'x'), '--ui-lang', 'not a tag']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'clearcopy: --ui-lang must be a language tag such as de, pt-BR or zh-Hant, not "not a tag"']);
  });
  it('reaches render\'s copies through the engine, from the flag or the config file, and stops render before any page without a catalog', async () => {
    const page = path.join(SAMPLES, 'arabic-news.html');
    const flagged = path.join(temp, 'ui-flag');
    const viaFlag = await runCli(['render', page, '--no-audit', '--no-cache', '-o', flagged, '-q', '--ui-lang', 'de']);
    expect(viaFlag.code).toBe(0);
    const copy = readFileSync(path.join(flagged, 'arabic-news.html'), 'utf8');
    expect(copy).toMatch(/<a [^>]*lang="de"[^>]*>Zum Artikel springen<\/a>|lang="de"[^>]*>[^<]*Zum Artikel springen/);
    expect(readFileSync(path.join(flagged, 'arabic-news.txt'), 'utf8')).toContain('\u2066Von سلمى الحداد\u2069');
    const config = path.join(temp, 'ui-config.json');
    writeFileSync(config, JSON.stringify({ uiLang: 'fr' }));
    const configured = path.join(temp, 'ui-config');
    const viaConfig = await runCli(['render', page, '--no-audit', '--no-cache', '-o', configured, '-q', '--config', config]);
    expect(viaConfig.code).toBe(0);
    expect(readFileSync(path.join(configured, 'arabic-news.txt'), 'utf8')).toContain('\u2066Par سلمى الحداد\u2069');
    // `text` reads the same config: the same words on standard output; the flag still wins.
    const textViaConfig = await runCli(['text', page, '--config', config]);
    expect([textViaConfig.code, textViaConfig.stdout]).toEqual([0, expect.stringContaining('\u2066Par سلمى الحداد\u2069')]);
    const textFlagWins = await runCli(['text', page, '--config', config, '--ui-lang', 'de']);
    expect(textFlagWins.stdout).toContain('\u2066Von سلمى الحداد\u2069');
    const none = path.join(temp, 'ui-none');
    const refused = await runCli(['render', page, '--no-audit', '--no-cache', '-o', none, '-q', '--ui-lang', 'xx']);
    expect([refused.code, refused.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(refused.stderr).toMatch(/^clearcopy: no message catalog for --ui-lang xx/);
    expect(existsSync(path.join(none, 'arabic-news.html'))).toBe(false);
    writeFileSync(config, JSON.stringify({ uiLang: 'not a tag' }));
    const badConfig = await runCli(['render', page, '--no-audit', '--no-cache', '-o', none, '-q', '--config', config]);
    expect([badConfig.code, badConfig.stderr]).toEqual([2, expect.stringMatching(/uiLang.*language tag/)]);
  });
});
