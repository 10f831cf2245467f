// clearcopy's own words in every language it has a catalog for: each catalog complete, with the
// English placeholders, every plural form its language has, nothing left in English; and a broken
// catalog (in a user's templates folder) refused with its file and the reason.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInLocalesDir, catalogProblems, loadCatalogs, missingKeys, untranslatedKeys } from '../../src/i18n/catalog.js';
import { findCatalog, localizerFor } from '../../src/i18n/localizer.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../src/render/templates.js';

/** The languages the README lists as having a catalog. */
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'cs', 'ru', 'uk', 'tr', 'ar', 'he', 'fa', 'hi', 'zh-Hans', 'zh-Hant', 'ja', 'ko'];
const catalogs = loadCatalogs(builtInLocalesDir(DEFAULT_TEMPLATES_DIR));
const english = catalogs.get('en')!;
const temp = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-catalogs-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The plural options of every plural in a message. */
function pluralOptions(elements: MessageFormatElement[]): string[][] {
  return elements.flatMap((element) => {
    if (element.type === TYPE.plural) return [Object.keys(element.options), ...Object.values(element.options).flatMap((o) => pluralOptions(o.value))];
    if (element.type === TYPE.select) return Object.values(element.options).flatMap((o) => pluralOptions(o.value));
    return [];
  });
}

describe('message catalogs', () => {
  it('has one catalog file for each language the README lists, and no other', () => {
    expect([...catalogs.values()].map((c) => c.lang).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s: every key, the English placeholders, nothing left in English', (lang) => {
    const catalog = catalogs.get(lang.toLowerCase())!;
    expect(missingKeys(catalog, english)).toEqual([]);
    expect(catalogProblems(catalog, english)).toEqual([]);
    if (lang !== 'en') expect(untranslatedKeys(catalog, english)).toEqual([]);
  });

  it.each(LANGUAGES)('%s: every plural has a form for each category the language uses for whole numbers (Intl.PluralRules)', (lang) => {
    const rules = new Intl.PluralRules(lang);
    const categories = new Set(Array.from({ length: 1001 }, (_, n) => rules.select(n)));
    for (const [key, message] of Object.entries(catalogs.get(lang.toLowerCase())!.messages)) {
      for (const options of pluralOptions(parse(message))) {
        for (const category of categories) expect(options, `${lang} ${key}`).toContain(category);
      }
    }
  });

  it.each(LANGUAGES)('%s: formats every message with its placeholders filled', (lang) => {
    const ui = localizerFor(catalogs, lang, catalogs.get(lang.toLowerCase())!.dir);
    const values = { title: 'T', site: 'S', name: 'N', date: 'D', words: 2345, minutes: 11, credit: 'C', description: 'X', number: 3, caption: 'Cap', headers: 'H', archive: 'wayback', url: 'https://example.org/', generator: 'clearcopy', source: 'file', file: 'f.html', count: 22, others: 2 };
    for (const key of Object.keys(english.messages)) {
      const text = ui.text(key, values);
      expect(text.length, `${lang} ${key}`).toBeGreaterThan(0);
      expect(text, `${lang} ${key}`).not.toMatch(/[{}]/);
    }
  });

  it('reads numbers, plurals and dates in the article’s language', () => {
    const reading = (lang: string, words: number, minutes: number) => localizerFor(catalogs, lang, 'ltr').text('article.readingTime', { words, minutes });
    expect(reading('de', 1234, 5)).toBe('1.234 Wörter, Lesezeit etwa 5 Minuten');
    expect(reading('pl', 22, 2)).toBe('22 słowa, czas czytania ok. 2 minuty');
    expect(reading('pl', 25, 5)).toBe('25 słów, czas czytania ok. 5 minut');
    expect(reading('ru', 21, 21)).toBe('21 слово, читать около 21 минуты');
    expect(localizerFor(catalogs, 'ar', 'rtl').text('article.readingTime', { words: 250, minutes: 2 })).toBe('250 كلمة، وقت القراءة نحو دقيقتين');
    expect(localizerFor(catalogs, 'zh-CN', 'ltr').text('article.readingTime', { words: 3200, minutes: 13 })).toBe('全文3,200字，阅读约需13分钟');
    const de = localizerFor(catalogs, 'de-AT', 'ltr');
    expect(de.text('article.published', { date: de.date('2022-11-06', 'article.published') })).toBe('Veröffentlicht am 6. November 2022');
  });

  it('finds the catalog for a tag by language and script', () => {
    expect(findCatalog(catalogs, 'zh-TW')?.lang).toBe('zh-Hant');
    expect(findCatalog(catalogs, 'zh-HK')?.lang).toBe('zh-Hant');
    expect(findCatalog(catalogs, 'zh')?.lang).toBe('zh-Hans');
    expect(findCatalog(catalogs, 'pt-BR')?.lang).toBe('pt');
    expect(findCatalog(catalogs, 'de-DE')?.lang).toBe('de');
    expect(findCatalog(catalogs, 'iw')?.lang).toBe('he');
    expect(findCatalog(catalogs, 'sw')).toBeUndefined();
  });
});

describe('a broken catalog is caught', () => {
  const german = catalogs.get('de')!;
  it('a key left out', () => {
    const { ['copy.skipLink']: _left, ...messages } = german.messages;
    expect(missingKeys({ messages }, english)).toEqual(['copy.skipLink']);
  });
  it('an English string left in', () => {
    const messages = { ...german.messages, 'copy.skipLink': english.messages['copy.skipLink']! };
    expect(untranslatedKeys({ messages, sameAsEnglish: german.sameAsEnglish }, english)).toEqual(['copy.skipLink']);
  });
  it('another placeholder, an unknown key, broken syntax', () => {
    expect(catalogProblems({ messages: { 'article.byline': 'Von {author}' } }, english)).toEqual(['"article.byline" uses {author} where the English message uses {name}']);
    expect(catalogProblems({ messages: { 'article.bylin': 'Von {name}' } }, english)).toEqual(['unknown key "article.bylin"']);
    expect(catalogProblems({ messages: { 'article.readingTime': '{words, plural, one {# Wort}}' } }, english)[0]).toMatch(/"article.readingTime" is not a valid ICU message/);
  });
  it('refuses a templates folder whose catalog is broken, naming the file and the reason', () => {
    const dir = path.join(temp, 'templates');
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, 'locales', 'de.json'), JSON.stringify({ messages: { 'article.byline': 'Von {autor}' } }));
    expect(() => loadTemplates(dir)).toThrow(`${path.join(dir, 'locales', 'de.json')}: broken message catalog: "article.byline" uses {autor} where the English message uses {name}`);
    writeFileSync(path.join(dir, 'locales', 'de.json'), '{ "messages": ');
    expect(() => loadTemplates(dir)).toThrow(/de\.json: broken message catalog: not valid JSON/);
    writeFileSync(path.join(dir, 'locales', 'de.json'), JSON.stringify({ mesages: {} }));
    expect(() => loadTemplates(dir)).toThrow(/de\.json: broken message catalog: .*mesages/);
  });
  it('takes a user’s partial catalog: its messages over clearcopy’s, a new language filled in with English', () => {
    const dir = path.join(temp, 'overlay');
    mkdirSync(path.join(dir, 'locales'), { recursive: true });
    writeFileSync(path.join(dir, 'locales', 'de.json'), JSON.stringify({ messages: { 'copy.skipLink': 'Direkt zum Text' } }));
    writeFileSync(path.join(dir, 'locales', 'sw.json'), JSON.stringify({ name: 'Kiswahili', dir: 'ltr', messages: { 'copy.skipLink': 'Ruka hadi makala' } }));
    const set = loadCatalogs(builtInLocalesDir(DEFAULT_TEMPLATES_DIR), path.join(dir, 'locales'));
    expect(localizerFor(set, 'de', 'ltr').text('copy.skipLink')).toBe('Direkt zum Text');
    expect(localizerFor(set, 'de', 'ltr').text('article.byline', { name: 'X' })).toBe('Von X');
    const swahili = localizerFor(set, 'sw', 'ltr');
    expect(swahili.html('copy.skipLink')).toBe('Ruka hadi makala');
    expect(swahili.html('article.byline', { name: 'Amina' })).toBe('<span lang="en" dir="ltr">By <span lang="sw" dir="ltr">Amina</span></span>');
  });
});
