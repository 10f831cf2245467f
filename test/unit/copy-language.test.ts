// The copy speaks the article's language (WCAG 3.1.1/3.1.2): clearcopy's own words come from the
// article's catalog, or in English marked lang="en" (isolated in rtl text, xml:lang in SSML) when
// there is none, or in --ui-lang's; a byline that already has its word is not prefixed again; the
// page's own passages in other languages keep their lang. languageOfPartsProblems (the DOM walk
// the end-to-end test runs on real pages) is shown catching broken templates and catalogs.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, describe, expect, it } from 'vitest';
import { extract, loadBytes, loadTemplates, renderHtml, renderText } from '../../src/index.js';
import { languageOfPartsProblems } from '../../src/i18n/check.js';
import { registerMessageHelpers } from '../../src/i18n/handlebars.js';
import { localizerFor } from '../../src/i18n/localizer.js';
import { renderSsml } from '../../src/render/ssml.js';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/templates.js';
import { collapse, parse } from '../helpers.js';

const templates = loadTemplates();
const temp = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-copy-language-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface PageParts { lang: string; dir?: string; title: string; paragraphs: string[]; byline?: string; extra?: string }
function page({ lang, dir, title, paragraphs, byline, extra = '' }: PageParts): string {
  return `<!DOCTYPE html><html lang="${lang}"${dir ? ` dir="${dir}"` : ''}><head><title>${title}</title>
    ${byline ? `<meta name="author" content="${byline}">` : ''}<meta property="article:published_time" content="2022-11-06T10:00:00+01:00"></head>
    <body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}${extra}</article></body></html>`;
}
const docOf = (html: string) => extract(loadBytes(Buffer.from(html), { name: 'story', url: 'https://example.org/story' }));

const GERMAN = [
  'Die Stadtverwaltung hat am Montag neue Pläne für den Ausbau der Radwege vorgestellt. Nach Angaben der Behörde sollen bis zum Jahr 2030 mehr als vierzig Kilometer neue Strecken entstehen.',
  'Der Verkehrsausschuss hatte lange über die Kosten gestritten. Nun sollen Bund und Land einen großen Teil der Summe übernehmen, wie ein Sprecher der Stadt mitteilte.',
  'Anwohner begrüßten die Entscheidung, forderten aber mehr sichere Übergänge an den großen Kreuzungen. Die ersten Arbeiten beginnen im Frühjahr im Norden der Stadt.',
];
const GERMAN_EXTRA = `<figure><img src="https://img.example/radweg.jpg" alt="Ein Radweg am Fluss"><figcaption>Der neue Radweg am Ufer. Foto: Anna Schmidt</figcaption></figure>
  <figure><img src="https://img.example/karte.jpg"></figure>
  <table><caption>Kosten</caption><thead><tr><th>Jahr</th><th>Euro</th></tr></thead><tbody><tr><td>2024</td><td>5 Mio.</td></tr><tr><td>2025</td><td>7 Mio.</td></tr></tbody></table>
  <p lang="en">The mayor said in English: this is a good day for cyclists.</p>
  <blockquote lang="fr"><p>Une belle journée pour les cyclistes de la ville.</p></blockquote>
  <p>Er fügte hinzu: <span lang="en">well done</span>. ${GERMAN[0]}</p>`;
const german = docOf(page({ lang: 'de', title: 'Neue Radwege für die Stadt', paragraphs: GERMAN, byline: 'von Birgit Posselt', extra: GERMAN_EXTRA }));

const SWAHILI = [
  'Serikali ya mji imetangaza mpango mpya wa kujenga barabara za baiskeli katika maeneo yote ya mji. Kwa mujibu wa maafisa, kazi hiyo itakamilika ndani ya miaka mitano ijayo.',
  'Wakazi wengi wamefurahia uamuzi huo, lakini wameomba pia vivuko salama zaidi kwenye makutano makubwa. Kazi ya kwanza itaanza mwezi ujao upande wa kaskazini wa mji.',
  'Wataalamu wanasema barabara hizo zitapunguza msongamano wa magari na kuboresha afya ya watu wanaoishi mjini.',
];
const swahili = docOf(page({ lang: 'sw', title: 'Barabara mpya za baiskeli mjini', paragraphs: SWAHILI, byline: 'Amina Juma', extra: '<figure><img src="https://img.example/ramani.jpg"></figure>' }));

const URDU = [
  'شہر کی انتظامیہ نے پیر کے روز سائیکل سواروں کے لیے نئی سڑکوں کا منصوبہ پیش کیا۔ حکام کے مطابق یہ کام اگلے پانچ برسوں میں مکمل ہو جائے گا۔',
  'شہریوں نے اس فیصلے کا خیر مقدم کیا لیکن بڑے چوراہوں پر محفوظ راستوں کا مطالبہ بھی کیا۔ پہلا مرحلہ اگلے مہینے شہر کے شمالی حصے میں شروع ہوگا۔',
  'ماہرین کا کہنا ہے کہ ان سڑکوں سے ٹریفک کم ہوگی اور شہر میں رہنے والوں کی صحت بہتر ہوگی۔',
];
const urdu = docOf(page({ lang: 'ur', dir: 'rtl', title: 'شہر میں سائیکل کے لیے نئی سڑکیں', paragraphs: URDU, byline: 'عائشہ خان' }));

describe('a German article', () => {
  const html = renderHtml(german, templates);
  const document = parse(html);
  const text = renderText(german, templates, { width: 0 });
  const text80 = renderText(german, templates);
  it('has clearcopy’s words in German, dates and numbers as German sites write them', () => {
    expect(document.querySelector('.skip-link')?.textContent).toBe('Zum Artikel springen');
    expect(collapse(document.querySelector('.dateline')?.textContent ?? '')).toBe('Veröffentlicht am 6. November 2022');
    expect(document.querySelector('.reading-time')?.textContent).toMatch(/^\d+ Wörter, Lesezeit etwa \d+ Minuten?$/);
    expect(collapse(document.querySelector('.credit')?.textContent ?? '')).toBe('Foto: Anna Schmidt');
    expect(document.querySelector('.needs-description-note')?.textContent).toBe('Bildbeschreibung fehlt: Die archivierte Seite enthielt keine.');
    expect(document.querySelector('figure.needs-description img')?.getAttribute('alt')).toBe('Ohne Beschreibung: Die archivierte Seite enthielt keine');
    expect(document.querySelector('#about-this-copy')?.textContent).toBe('Über diese Kopie');
    expect(document.title).toBe('Neue Radwege für die Stadt (Lesefassung)');
    expect(document.querySelector('.table-scroll')?.getAttribute('aria-labelledby')).toBe('cc-t1-name');
    expect(document.getElementById('cc-t1-name')?.textContent).toBe('Tabelle: Kosten');
  });
  it('does not prefix a byline that already starts with "von"', () => {
    expect(document.querySelector('.byline')?.textContent).toBe('von Birgit Posselt');
    expect(text).toContain('\nvon Birgit Posselt\nVeröffentlicht am 6. November 2022\n');
    expect(renderSsml(german)).toContain('<p><s>von Birgit Posselt</s> <s>Veröffentlicht am 6. November 2022</s></p>');
    const plain = docOf(page({ lang: 'de', title: 'Neue Radwege für die Stadt', paragraphs: GERMAN, byline: 'Birgit Posselt' }));
    expect(parse(renderHtml(plain, templates)).querySelector('.byline')?.textContent).toBe('Von Birgit Posselt');
    const name = docOf(page({ lang: 'de', title: 'Neue Radwege für die Stadt', paragraphs: GERMAN, byline: 'Vonnegut Kurt' }));
    expect(parse(renderHtml(name, templates)).querySelector('.byline')?.textContent).toBe('Von Vonnegut Kurt');
  });
  it('has a text copy whose labels are German', () => {
    expect(text).toContain('[Bild: Ein Radweg am Fluss. Der neue Radweg am Ufer. Foto: Anna Schmidt]');
    expect(text).toContain('[Bild: Ein Bild, das die archivierte Seite nicht beschreibt.]');
    expect(text).toContain('Tabelle: Kosten\nSpalten: Jahr, Euro.\n- Jahr: 2024; Euro: 5 Mio.');
    expect(text80).not.toMatch(/\[Image|Photo:|Published|\bBy\b|Columns:|Table/);
    expect(renderSsml(german)).toContain('<emphasis level="reduced">Bild.</emphasis>');
    expect(renderSsml(german)).not.toMatch(/xml:lang="en/);
  });
  it('keeps the page’s own passages in other languages marked (block and inline)', () => {
    const marked = [...document.querySelectorAll('article [lang]')].map((el) => [el.getAttribute('lang'), collapse(el.textContent ?? '')]);
    expect(marked).toContainEqual(['en', 'The mayor said in English: this is a good day for cyclists.']);
    expect(marked).toContainEqual(['fr', 'Une belle journée pour les cyclistes de la ville.']);
    expect(marked).toContainEqual(['en', 'well done']);
  });
  it('passes the language-of-parts walk', () => {
    expect(languageOfPartsProblems(document, templates.catalogs)).toEqual([]);
  });
});

describe('a language without a catalog (Swahili)', () => {
  const html = renderHtml(swahili, templates);
  const document = parse(html);
  it('gets English words marked lang="en", the article’s words inside them keep their language', () => {
    expect(document.documentElement.lang).toBe('sw');
    expect(document.querySelector('.skip-link')?.innerHTML).toBe('<span lang="en" dir="ltr">Skip to the article</span>');
    expect(document.querySelector('.byline')?.innerHTML).toBe('<span lang="en" dir="ltr">By <span lang="sw" dir="ltr">Amina Juma</span></span>');
    expect(document.querySelector('.reading-time > span')?.getAttribute('lang')).toBe('en');
    const img = document.querySelector('figure.needs-description img');
    expect([img?.getAttribute('alt'), img?.getAttribute('lang')]).toEqual(['No description: the archived page gave none', 'en']);
    // A <title> cannot mark part of itself: no English words are added to it.
    expect(document.title).toBe('Barabara mpya za baiskeli mjini');
    expect(languageOfPartsProblems(document, templates.catalogs)).toEqual([]);
  });
  it('has an English text copy and English SSML marked xml:lang="en-US"', () => {
    const text = renderText(swahili, templates);
    expect(text).toContain('\nBy Amina Juma\nPublished November 6, 2022\n');
    expect(text).toContain('[Image: An image the archived page did not describe.]');
    const ssml = renderSsml(swahili);
    expect(ssml).toContain('xml:lang="sw"');
    // en-US, not en: espeak-ng switches voices for a tag with a region only.
    expect(ssml).toContain('<p xml:lang="sw-TZ"><s xml:lang="en-US">By Amina Juma</s> <s xml:lang="en-US">Published November 6, 2022</s></p>');
    // Every paragraph then says its language, so an engine that keeps a marked sentence's voice comes back to Swahili.
    expect(ssml).toContain('<p xml:lang="sw-TZ">Serikali ya mji');
    expect(ssml).toContain('<s xml:lang="en-US"><emphasis level="reduced">Image.</emphasis></s>');
  });
  it('is caught by the walk when the English is not marked', () => {
    for (const span of document.querySelectorAll('span[lang="en"], img[lang="en"]')) span.removeAttribute('lang');
    const problems = languageOfPartsProblems(document, templates.catalogs);
    expect(problems.map((p) => p.key)).toEqual(expect.arrayContaining(['copy.skipLink', 'article.byline', 'article.readingTime', 'figure.noDescriptionAlt', 'provenance.heading']));
    expect(problems.every((p) => p.messageLang === 'en' && p.lang === 'sw')).toBe(true);
  });
});

describe('an rtl language without a catalog (Urdu)', () => {
  it('isolates the English words: dir="ltr" in HTML, LRI…PDI in the text copy, so nothing is reordered', () => {
    const document = parse(renderHtml(urdu, templates));
    expect(document.documentElement.getAttribute('dir')).toBe('rtl');
    const reading = document.querySelector('.reading-time > span');
    expect([reading?.getAttribute('lang'), reading?.getAttribute('dir')]).toEqual(['en', 'ltr']);
    expect(reading?.textContent).toMatch(/^\d+ words, about \d+ minutes? to read$/);
    const text = renderText(urdu, templates, { width: 40 });
    expect(text).toContain('\n\u2066Published November 6, 2022\u2069\n');
    // A wrapped message is isolated line by line (an isolate ends at a line break).
    for (const line of text.split('\n')) if (line.includes('\u2066')) expect(line.trimEnd().endsWith('\u2069')).toBe(true);
  });
});

describe('the Arabic sample', () => {
  it('reads its reading time in Arabic, in rtl, with the language’s plural forms', () => {
    const doc = extract(loadBytes(readFileSync(path.join(DEFAULT_TEMPLATES_DIR, '..', 'samples', 'arabic-news.html')), { name: 'arabic-news' }));
    const document = parse(renderHtml(doc, templates));
    expect(document.querySelector('.reading-time')?.textContent).toMatch(/^\d+ كلمة، وقت القراءة نحو (دقيقة|دقيقتين|\d+ دقائق|\d+ دقيقة)$/);
    expect(document.querySelector('.reading-time [lang]')).toBeNull();
  });
});

describe('--ui-lang', () => {
  it('puts clearcopy’s words in the language asked for, marked as such', () => {
    const document = parse(renderHtml(german, templates, { uiLang: 'fr' }));
    expect(document.querySelector('.skip-link')?.innerHTML).toBe('<span lang="fr" dir="ltr">Aller à l’article</span>');
    expect(document.querySelector('.byline')?.textContent).toBe('von Birgit Posselt');
    expect(languageOfPartsProblems(document, templates.catalogs)).toEqual([]);
    const english = docOf(page({ lang: 'en', title: 'New cycle lanes for the city', paragraphs: ['The city council presented new plans for cycle lanes on Monday. More than forty kilometres of new routes are to be built by 2030, officials said.', 'Residents welcomed the decision but asked for safer crossings at the large junctions. The first works start in spring.'] }));
    const arabic = parse(renderHtml(english, templates, { uiLang: 'ar' }));
    expect(arabic.querySelector('.skip-link')?.innerHTML).toBe('<span lang="ar" dir="rtl">انتقل إلى المقال</span>');
    expect(renderText(english, templates, { uiLang: 'ar' })).toContain('\u2067نُشر في ');
    expect(() => renderHtml(german, templates, { uiLang: 'xx' })).toThrow(/no message catalog for --ui-lang xx/);
  });
});

describe('Chinese', () => {
  it('counts characters, as Chinese sites do, and reads at their rate', () => {
    const sentence = '市政府周一公布了扩建自行车道的新计划。据有关部门介绍，到二零三零年将新建四十多公里的线路。';
    const doc = docOf(page({ lang: 'zh-CN', title: '城市将新建自行车道', paragraphs: Array.from({ length: 24 }, () => sentence) }));
    const reading = parse(renderHtml(doc, templates)).querySelector('.reading-time')?.textContent ?? '';
    const [, chars, minutes] = /^全文([\d,]+)字，阅读约需(\d+)分钟$/.exec(reading) ?? [];
    expect(Number(chars?.replace(/,/g, ''))).toBeGreaterThan(24 * 40);
    expect(Number(minutes)).toBe(Math.max(1, Math.round(Number(chars?.replace(/,/g, '')) / 255)));
  });
});

describe('the language-of-parts walk', () => {
  it('leaves the page’s own words alone (an English "By …" line in a Spanish page’s body is the page’s, not clearcopy’s)', () => {
    const spanish = docOf(page({ lang: 'es', title: 'Nuevos carriles bici en la ciudad', byline: 'Ana García', paragraphs: [
      'El ayuntamiento presentó el lunes nuevos planes para ampliar los carriles bici. Según las autoridades, se construirán más de cuarenta kilómetros de nuevas rutas hasta 2030.',
      'Los vecinos celebraron la decisión, pero pidieron cruces más seguros en los grandes cruces de la ciudad.', 'By Tara Parker-Pope'] }));
    const document = parse(renderHtml(spanish, templates));
    expect(document.querySelector('.byline')?.textContent).toBe('Por Ana García');
    expect(languageOfPartsProblems(document, templates.catalogs)).toEqual([]);
    expect(languageOfPartsProblems(document, templates.catalogs, { pageWords: '' }).map((p) => p.text)).toEqual(['By Tara Parker-Pope']);
  });
});

describe('the language-of-parts walk catches', () => {
  const brokenTemplates = (change: (dir: string) => void) => {
    const dir = mkdtempSync(path.join(temp, 'templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    change(dir);
    return loadTemplates(dir);
  };
  it('a template with an English word written into it', () => {
    const set = brokenTemplates((dir) => {
      const file = path.join(dir, 'partials', 'header.hbs');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/<p class="byline">.*<\/p>/, '<p class="byline">By {{byline}}</p>'));
    });
    const problems = languageOfPartsProblems(parse(renderHtml(german, set)), set.catalogs);
    expect(problems).toEqual([{ text: 'By von Birgit Posselt', key: 'article.byline', messageLang: 'en', lang: 'de', where: 'p' }]);
  });
  it('a catalog with an English string left in', () => {
    const set = brokenTemplates((dir) => {
      mkdirSync(path.join(dir, 'locales'), { recursive: true });
      const file = path.join(dir, 'locales', 'de.json');
      const catalog = JSON.parse(readFileSync(file, 'utf8')) as { messages: Record<string, string> };
      catalog.messages['provenance.heading'] = 'About this copy';
      writeFileSync(file, JSON.stringify(catalog));
    });
    const problems = languageOfPartsProblems(parse(renderHtml(german, set)), set.catalogs);
    expect(problems.map((p) => [p.key, p.messageLang, p.lang, p.text])).toEqual([['provenance.heading', 'en', 'de', 'About this copy']]);
  });
});

describe('another module’s templates (an EPUB navigation, a collection index)', () => {
  it('take the same keys through their own Handlebars instance', () => {
    const hb = Handlebars.create();
    registerMessageHelpers(hb, templates.catalogs);
    const nav = hb.compile('<nav epub:type="toc" aria-labelledby="toc"><h2 id="toc">{{t "epub.contents"}}</h2></nav><p>{{t "collection.pageCount" count=count}}</p><p>{{t "collection.refused"}}</p>');
    expect(nav({ count: 3 }, { data: { ui: localizerFor(templates.catalogs, 'pl', 'ltr') } })).toBe('<nav epub:type="toc" aria-labelledby="toc"><h2 id="toc">Spis treści</h2></nav><p>3 strony</p><p>Odrzucone strony</p>');
    expect(nav({ count: 1 }, { data: { ui: localizerFor(templates.catalogs, 'sw', 'ltr') } })).toBe('<nav epub:type="toc" aria-labelledby="toc"><h2 id="toc"><span lang="en" dir="ltr">Contents</span></h2></nav><p><span lang="en" dir="ltr">1 page</span></p><p><span lang="en" dir="ltr">Pages refused</span></p>');
    // Without a localizer: English, unmarked. From code: the same messages as text.
    expect(nav({ count: 2 })).toContain('<h2 id="toc">Contents</h2>');
    expect(localizerFor(templates.catalogs, 'ja', 'ltr').text('epub.accessibilitySummary')).toMatch(/^見出し/);
  });
});
