// WCAG 3.1.2 (Language of Parts) for clearcopy's own words, which no automated checker judges: in a
// copy, every piece of text that is one of clearcopy's messages must be in the language in force
// where it stands (the nearest `lang`). A German label in a German copy passes; an English one passes
// only inside `lang="en"`; a message a catalog shares with English passes only when that catalog says
// the two are rightly the same (`sameAsEnglish`), so a string left untranslated is caught.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { SOURCE_LANGUAGE, type CatalogSet } from './catalog.js';
import { findCatalog, sameLanguage, startsWithBylineWord } from './localizer.js';

/** One of clearcopy's words in a copy, in another language than the one in force where it stands. */
export interface LanguageOfPartsProblem {
  /** The text (an element's text, or an `alt`/`aria-label`/`title` attribute). */
  text: string;
  /** The message it is. */
  key: string;
  /** The catalog whose message it is. */
  messageLang: string;
  /** The language in force there (the nearest `lang`). */
  lang: string;
  /** Where: a tag name, with the attribute when it is one. */
  where: string;
}

/** Messages no text can be told apart by (no letters of their own). */
const SKIPPED_KEYS = new Set(['text.listSeparator']);

/**
 * Where a copy made with clearcopy's article template holds the page's own words, which may be
 * anything (an English "By …" line in a Spanish page's list of related stories): the headline, dek
 * and site name, the body's blocks, a figure's caption and description, a table's cells.
 */
export const PAGE_WORDS = 'h1, .site-name, .dek, article > :not(header):not(figure):not(.table-scroll), figcaption > .caption, figure:not(.needs-description) img, .table-scroll > table';

/**
 * Every piece of text in `document` that is one of clearcopy's messages (in any catalog) and is not
 * in the language in force where it stands. Elements are judged on their whole text when they hold
 * text of their own; `alt`, `aria-label` and `title` attributes on their own. Elements matching
 * `pageWords` (default: {@link PAGE_WORDS}; an EPUB or index template gives its own) are the page's
 * words and are not judged.
 */
export function languageOfPartsProblems(document: Document, catalogs: CatalogSet, options: { pageWords?: string } = {}): LanguageOfPartsProblem[] {
  const { problems, judge } = judgement(catalogs);
  const pageWords = options.pageWords ?? PAGE_WORDS;
  for (const element of document.querySelectorAll('*')) {
    const lang = element.closest('[lang]')?.getAttribute('lang') ?? '';
    const tag = element.tagName.toLowerCase();
    if (['script', 'style'].includes(tag) || (pageWords && element.closest(pageWords))) continue;
    if ([...element.childNodes].some((node) => node.nodeType === 3 && /\S/.test(node.textContent ?? ''))) judge(element.textContent ?? '', lang, tag);
    for (const attribute of ['alt', 'aria-label', 'title']) {
      const value = element.getAttribute(attribute);
      if (value) judge(value, lang, `${tag}[${attribute}]`);
    }
  }
  return problems;
}

/**
 * The same for a text copy (unwrapped, `--text-width 0`), which cannot mark a language: each line
 * that is one of clearcopy's messages must be in the article's language (`lang`) when there is a
 * catalog for it, else in English. Directional isolates around a line are ignored, and so are the
 * `pageLines`, the page's own words (see {@link pageWordsOf}).
 */
export function textLanguageProblems(text: string, lang: string, catalogs: CatalogSet, options: { pageLines?: ReadonlySet<string> } = {}): LanguageOfPartsProblem[] {
  const { problems, judge } = judgement(catalogs);
  const expected = findCatalog(catalogs, lang) ? lang : SOURCE_LANGUAGE;
  text.split('\n').forEach((line, index) => {
    const plain = line.replace(/[\u2066-\u2069]/g, '');
    if (!options.pageLines?.has(plain.replace(/\s+/g, ' ').trim())) judge(plain, expected, `line ${index + 1}`);
  });
  return problems;
}

/** The page's own words in an HTML copy (the text of each element matching `pageWords`, and of each element in one), as the text copy's lines say them. */
export function pageWordsOf(document: Document, pageWords = PAGE_WORDS): Set<string> {
  const elements = [...document.querySelectorAll(pageWords)].flatMap((element) => [element, ...element.querySelectorAll('*')]);
  return new Set(elements.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean));
}

function judgement(catalogs: CatalogSet) {
  const patterns = messagePatterns(catalogs);
  const problems: LanguageOfPartsProblem[] = [];
  const judge = (text: string, lang: string, where: string) => {
    const collapsed = text.replace(/\s+/g, ' ').trim();
    if (!collapsed || !/\p{L}/u.test(collapsed)) return;
    const inForce = findCatalog(catalogs, lang);
    for (const { catalog, key, pattern, lead, trail } of patterns) {
      if (!collapsed.startsWith(lead) || !collapsed.endsWith(trail) || sameLanguage(catalog, lang) || !pattern.test(collapsed)) continue;
      // A byline that starts with its language's own word ("Autor: …" on a German page) is the page's, shown as it is.
      if (key === 'article.byline' && inForce && startsWithBylineWord(collapsed, inForce.bylineWords)) continue;
      const own = inForce ? patterns.find((p) => p.catalog === inForce.lang && p.key === key) : undefined;
      const alsoOwn = own?.pattern.test(collapsed) && (catalog !== SOURCE_LANGUAGE || inForce!.sameAsEnglish.includes(key));
      if (!alsoOwn) problems.push({ text: collapsed, key, messageLang: catalog, lang, where });
    }
  };
  return { problems, judge };
}

interface MessagePattern {
  catalog: string;
  key: string;
  pattern: RegExp;
  /** The text the message starts and ends with, for a quick test before the expression's. */
  lead: string;
  trail: string;
}

/** Each message of each catalog as a regular expression over collapsed text (placeholders match any words). */
function messagePatterns(catalogs: CatalogSet): MessagePattern[] {
  const out: MessagePattern[] = [];
  for (const catalog of catalogs.values()) {
    for (const [key, message] of Object.entries(catalog.messages)) {
      if (SKIPPED_KEYS.has(key)) continue;
      const elements = parse(message, { ignoreTag: true });
      if (!hasLetters(elements)) continue;
      const first = elements[0];
      const last = elements[elements.length - 1];
      const literal = (element: MessageFormatElement | undefined) => (element?.type === TYPE.literal ? element.value.replace(/\s+/g, ' ') : '');
      out.push({ catalog: catalog.lang, key, pattern: new RegExp(`^${source(elements)}$`, 'su'), lead: literal(first).trimStart(), trail: literal(last).trimEnd() });
    }
  }
  return out;
}

const NUMBER = '[\\p{N}][\\p{N}\\s.,\'\u066b\u066c]*';

function source(elements: MessageFormatElement[]): string {
  return elements.map((element) => {
    switch (element.type) {
      case TYPE.literal: return element.value.replace(/\s+/g, ' ').split(' ').map(escape).join('\\s+');
      case TYPE.argument: return element.value === 'number' ? NUMBER : '.+?';
      case TYPE.pound: return NUMBER;
      case TYPE.plural: case TYPE.select:
        return `(?:${Object.values(element.options).map((option) => source(option.value)).join('|')})`;
      default: return '.+?';
    }
  }).join('');
}

function hasLetters(elements: MessageFormatElement[]): boolean {
  return elements.some((element) => (element.type === TYPE.literal && /\p{L}/u.test(element.value))
    || ((element.type === TYPE.plural || element.type === TYPE.select) && Object.values(element.options).some((option) => hasLetters(option.value))));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
