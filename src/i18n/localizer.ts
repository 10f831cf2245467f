// The words clearcopy writes into a copy, in the copy's language: a Localizer picks the catalog for
// a document (or for --ui-lang), formats messages with intl-messageformat (plural rules, numbers
// and dates through Intl), and says where a message is in another language than the document's,
// so the HTML can mark it with `lang`/`dir`, SSML with `xml:lang`, and the text copy can isolate it.
import { IntlMessageFormat } from 'intl-messageformat';
import { ClearcopyError } from '../errors.js';
import { placeholders, SOURCE_LANGUAGE, type Catalog, type CatalogSet } from './catalog.js';

/** Options for {@link localizerFor}. */
export interface LocalizerOptions {
  /**
   * The language of clearcopy's own words, whatever the article's (`--ui-lang`; optional). By
   * default the article's language when there is a catalog for it, else English.
   */
  uiLang?: string | undefined;
}

/** A value for a message placeholder: text, a number, or HTML already escaped (`{ html }`), for {@link Localizer.html} only. */
export type MessageValue = string | number | { html: string };

/** Where a message comes from and how it relates to the document's language. */
export interface MessageSource {
  /** The catalog's language (`en`, `de`, `zh-Hant`). */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** True when it is not the document's language: the copy must mark it. */
  marked: boolean;
  /** The locale Intl formats its numbers, dates and plurals in. */
  locale: string;
  message: string;
}

/** clearcopy's words for one document. */
export class Localizer {
  /** The catalog chosen for the document (or for `uiLang`): its language may differ from the document's. */
  readonly catalog: Catalog;
  private readonly fallback: Catalog;

  constructor(readonly catalogs: CatalogSet, readonly docLang: string, readonly docDir: 'ltr' | 'rtl', options: LocalizerOptions = {}) {
    this.fallback = catalogs.get(SOURCE_LANGUAGE)!;
    if (options.uiLang) {
      this.catalog = requireCatalog(catalogs, options.uiLang);
    } else {
      this.catalog = findCatalog(catalogs, docLang) ?? this.fallback;
    }
  }

  /** The language of clearcopy's words in this copy (the chosen catalog's). */
  get lang(): string { return this.catalog.lang; }
  get dir(): 'ltr' | 'rtl' { return this.catalog.dir; }
  /** True when clearcopy's words are not in the document's language (no catalog for it, or `uiLang`). */
  get marked(): boolean { return !sameLanguage(this.catalog.lang, this.docLang); }
  get wordsPerMinute(): number { return this.catalog.wordsPerMinute; }

  /** Where `key`'s message comes from: the chosen catalog, else English. Throws for a key no catalog has. */
  source(key: string): MessageSource {
    const catalog = this.catalog.messages[key] !== undefined ? this.catalog : this.fallback;
    const message = catalog.messages[key];
    if (message === undefined) throw new ClearcopyError('TEMPLATE_BROKEN', `unknown message key "${key}" (the keys are those of templates/locales/${SOURCE_LANGUAGE}.json)`);
    const marked = !sameLanguage(catalog.lang, this.docLang);
    return { lang: catalog.lang, dir: catalog.dir, marked, locale: marked ? catalog.lang : intlLocale(this.docLang, catalog.lang), message };
  }

  /** The message as plain text (no marking). */
  text(key: string, values: Record<string, MessageValue> = {}): string {
    return this.parts(key, values).map((part) => (typeof part === 'string' ? part : part.html)).join('');
  }

  /**
   * The message for plain text that sits in the document's text: as {@link text}, wrapped in Unicode
   * directional isolates (LRI/RLI … PDI) when its direction is not the document's, so a reader in
   * an rtl copy sees an English line in its own order.
   */
  textIsolated(key: string, values: Record<string, MessageValue> = {}): string {
    return this.isolateLines(key, this.text(key, values));
  }

  /** `key`'s message after wrapping: each line isolated on its own (a bidi isolate ends at a line break). */
  isolateLines(key: string, text: string): string {
    const { dir } = this.source(key);
    if (dir === this.docDir) return text;
    const open = dir === 'ltr' ? '\u2066' : '\u2067';
    return text.split('\n').map((line) => line.replace(/^(\s*)(\S.*)$/, `$1${open}$2\u2069`)).join('\n');
  }

  /**
   * The message as HTML: its text escaped, `{ html }` values inserted as they are, and wrapped in
   * `<span lang dir>` when it is not in the document's language (`dir` isolates it in rtl text).
   * Text values are the article's words (a byline, a credit): inside a marked message they keep
   * the document's language.
   */
  html(key: string, values: Record<string, MessageValue> = {}): string {
    const { lang, dir, marked, message } = this.source(key);
    const plain = marked ? plainArguments(message) : new Set<string>();
    const given = marked
      ? Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === 'string' && plain.has(name) && /\p{L}/u.test(value)
        ? { html: `<span lang="${escapeHtml(this.docLang)}" dir="${this.docDir}">${escapeHtml(value)}</span>` }
        : value]))
      : values;
    const html = this.parts(key, given).map((part) => (typeof part === 'string' ? escapeHtml(part) : part.html)).join('');
    return marked ? `<span lang="${escapeHtml(lang)}" dir="${dir}">${html}</span>` : html;
  }

  /** ` lang="…" dir="…"` for an element whose attribute (alt, aria-label) holds `key`'s message in another language; else ''. */
  langAttributes(key: string): string {
    const { lang, dir, marked } = this.source(key);
    return marked ? ` lang="${escapeHtml(lang)}" dir="${dir}"` : '';
  }

  /** `key`'s message as an SSML sentence: `<s>…</s>`, with `xml:lang` (see {@link speechTag}) when it is not in the document's language. */
  ssmlSentence(key: string, values: Record<string, MessageValue> = {}): string {
    const { lang, marked } = this.source(key);
    return `<s${marked ? ` xml:lang="${escapeXml(speechTag(lang))}"` : ''}>${escapeXml(this.text(key, values))}</s>`;
  }

  /** A calendar date ("6. November 2022"), as written (never shifted by time zone), in the locale of `key`'s message. */
  date(iso: string, key: string): string {
    return formatDate(iso, this.source(key).locale);
  }

  /**
   * True when a byline already starts with a word that introduces one, in the document's language,
   * in clearcopy's or in English ("von Birgit Posselt", "Par Jean Dupont", "By Jane Doe", "Autor: …"):
   * such a byline is shown as it is, not prefixed again.
   */
  bylineIsLabelled(byline: string): boolean {
    return startsWithBylineWord(byline, [this.catalog, findCatalog(this.catalogs, this.docLang), this.fallback].flatMap((c) => c?.bylineWords ?? []));
  }

  private parts(key: string, values: Record<string, MessageValue>): (string | { html: string })[] {
    const { locale, message } = this.source(key);
    let format = FORMATS.get(`${locale}\u0000${message}`);
    if (!format) {
      format = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true });
      FORMATS.set(`${locale}\u0000${message}`, format);
    }
    try {
      return format.formatToParts<{ html: string }>(values).map((part) => part.value);
    } catch (error) {
      throw new ClearcopyError('TEMPLATE_BROKEN', `message "${key}" (${this.source(key).lang}): ${(error as Error).message}`, { cause: error });
    }
  }
}

/** True when `byline` starts with one of `words` ("von", "Autor:"), as a word of its own ("Vonnegut" does not start with "von"). */
export function startsWithBylineWord(byline: string, words: readonly string[]): boolean {
  const start = byline.trim().toLocaleLowerCase();
  return words.some((word) => {
    const w = word.toLocaleLowerCase();
    if (!start.startsWith(w)) return false;
    // A word ending in ":" stands alone; otherwise the next character must not continue the word.
    return /[:：]$/.test(w) || !/[\p{L}\p{N}]/u.test(start.charAt(w.length));
  });
}

const FORMATS = new Map<string, IntlMessageFormat>();
const PLAIN_ARGUMENTS = new Map<string, Set<string>>();

/** The placeholders of a message that are put in as they are (`{name}`; not plurals, selects or numbers). */
function plainArguments(message: string): Set<string> {
  let names = PLAIN_ARGUMENTS.get(message);
  if (!names) {
    names = new Set(placeholders(message).filter((name) => !name.includes(':')));
    PLAIN_ARGUMENTS.set(message, names);
  }
  return names;
}

/**
 * The localizer for a document in `lang` (its `<html lang>`) and `dir`: the catalog for that
 * language when there is one, English otherwise (marked), or `options.uiLang`'s.
 */
export function localizerFor(catalogs: CatalogSet, lang: string, dir: 'ltr' | 'rtl', options: LocalizerOptions = {}): Localizer {
  return new Localizer(catalogs, lang, dir, options);
}

/** The catalog for `--ui-lang`; throws a `USAGE` error listing the catalogs when there is none. */
export function requireCatalog(catalogs: CatalogSet, uiLang: string): Catalog {
  const chosen = findCatalog(catalogs, uiLang);
  if (!chosen) throw new ClearcopyError('USAGE', `clearcopy: no message catalog for --ui-lang ${uiLang} (there are: ${[...catalogs.values()].map((c) => c.lang).join(', ')}; add one as locales/${uiLang}.json in a --templates folder)`);
  return chosen;
}

/**
 * The catalog for a language tag: the same tag, else one of the same language and script
 * (`zh-TW` → `zh-Hant`, `pt-BR` → `pt`, `de-AT` → `de`), preferring one of the same region.
 */
export function findCatalog(catalogs: CatalogSet, tag: string): Catalog | undefined {
  const exact = catalogs.get(tag.toLowerCase());
  if (exact) return exact;
  const candidates = [...catalogs.values()].filter((catalog) => sameLanguage(catalog.lang, tag));
  const region = safeLocale(tag)?.region;
  return (region ? candidates.find((c) => safeLocale(c.lang)?.region === region) : undefined) ?? candidates.find((c) => !safeLocale(c.lang)?.region) ?? candidates[0];
}

/**
 * The tag to mark a passage of speech with: the language with its likely region (`en` → `en-US`,
 * `zh-Hant` → `zh-TW`). Speech engines choose a voice by it, and espeak-ng does not switch voices
 * for a bare `en` inside another language's `<speak>` (it does for `en-US`).
 */
export function speechTag(lang: string): string {
  const locale = likely(lang);
  return locale?.region ? `${locale.language}-${locale.region}` : lang;
}

/** True when two tags name the same language in the same script (`de` and `de-CH`; not `zh-Hans` and `zh-TW`). */
export function sameLanguage(a: string, b: string): boolean {
  const x = likely(a);
  const y = likely(b);
  if (!x || !y) return a.split('-')[0]!.toLowerCase() === b.split('-')[0]!.toLowerCase();
  return x.language === y.language && (x.script === y.script || !x.script || !y.script);
}

function safeLocale(tag: string): Intl.Locale | undefined {
  try {
    return new Intl.Locale(tag);
  } catch {
    return undefined;
  }
}

/** Likely subtags by tag: asked for every catalog on every page, and Intl.Locale is slow to build. */
const LIKELY = new Map<string, Intl.Locale | undefined>();
function likely(tag: string): Intl.Locale | undefined {
  if (!LIKELY.has(tag)) {
    if (LIKELY.size > 1000) LIKELY.clear(); // tags come from pages: keep the memo bounded
    LIKELY.set(tag, safeLocale(tag)?.maximize());
  }
  return LIKELY.get(tag);
}

/** The document's own tag for Intl when Intl takes it (`de-CH` groups digits its own way), else the catalog's. */
function intlLocale(docLang: string, catalogLang: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([docLang]).length ? docLang : catalogLang;
  } catch {
    return catalogLang;
  }
}

/** Formats an ISO 8601 date for people in `locale` ("31 August 2016"); the calendar date as written, never shifted by time zone. */
export function formatDate(iso: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } catch {
    return new Intl.DateTimeFormat(SOURCE_LANGUAGE, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  }
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
