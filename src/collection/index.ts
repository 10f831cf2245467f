// The collection index of an output folder: `index.html` and `index.txt` list every copy in it
// (title, byline, date, reading time, original address), newest first, and the pages refused and
// why. What it lists is kept in `collection.json` beside them, so an incremental run (or a shard)
// adds to the index instead of replacing it.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ClearcopyError } from '../errors.js';
import type { PageResult } from '../model/run-result.js';
import { writeFileAtomic } from '../output.js';
import { linkCopies } from './links.js';
import { contentSecurityPolicy, WORDS_PER_MINUTE } from '../render/html.js';
import { directionOf } from '../extract/metadata.js';
import { registerMessageHelpers } from '../i18n/handlebars.js';
import { localizerFor, type Localizer } from '../i18n/localizer.js';
import { catalogsOf, DEFAULT_TEMPLATES_DIR } from '../render/templates.js';
import { GENERATOR } from '../version.js';

/** Names the collection files take in the output folder (a page may not take them). */
export const COLLECTION_FILES = { html: 'index.html', text: 'index.txt', data: 'collection.json' } as const;
/** The output name no page may have, so its copy never overwrites the index. */
export const RESERVED_NAMES = ['index'];

/** One copy in the collection. */
export interface CollectionCopy {
  name: string;
  title: string;
  lang?: string;
  byline?: string;
  published?: string;
  capturedAt?: string;
  url?: string;
  siteName?: string;
  words: number;
  input: string;
}

/** One page refused, and why. */
export interface CollectionRefusal {
  input: string;
  code: string;
  message: string;
}

/** What the index lists. */
export interface Collection {
  schema: 1;
  copies: CollectionCopy[];
  refused: CollectionRefusal[];
}

/** Reads `collection.json` from an output folder (an empty collection when there is none or it cannot be read). */
export async function readCollection(outDir: string): Promise<Collection> {
  try {
    const data = JSON.parse(await readFile(path.join(outDir, COLLECTION_FILES.data), 'utf8')) as Collection;
    if (data.schema === 1 && Array.isArray(data.copies) && Array.isArray(data.refused)) return data;
  } catch {
    // none yet, or not ours: start afresh
  }
  return { schema: 1, copies: [], refused: [] };
}

/**
 * The collection after a run: this run's copies and refusals over the earlier ones (by name and
 * input), earlier copies whose file is gone dropped, and an earlier refusal dropped once its input
 * has a copy.
 */
export function mergeCollection(previous: Collection, pages: readonly PageResult[], outDir: string): Collection {
  const copies = new Map(previous.copies.filter((copy) => existsSync(path.join(outDir, `${copy.name}.html`))).map((copy) => [copy.name, copy]));
  const refused = new Map(previous.refused.map((refusal) => [refusal.input, refusal]));
  for (const page of pages) {
    if (page.status === 'ok' && page.outputs) {
      for (const [name, copy] of copies) if (copy.input === page.input && name !== page.name) copies.delete(name);
      copies.set(page.name, {
        name: page.name,
        title: page.title ?? page.name,
        ...(page.lang ? { lang: page.lang } : {}),
        ...(page.copy?.byline ? { byline: page.copy.byline } : {}),
        ...(page.copy?.published ? { published: page.copy.published } : {}),
        ...(page.copy?.capturedAt ? { capturedAt: page.copy.capturedAt } : {}),
        ...(page.copy?.url ? { url: page.copy.url } : {}),
        ...(page.copy?.siteName ? { siteName: page.copy.siteName } : {}),
        words: page.copy?.words ?? 0,
        input: page.input,
      });
      refused.delete(page.input);
    } else if (page.status === 'failed' && page.error) {
      refused.set(page.input, { input: page.input, code: page.error.code, message: page.error.message });
      for (const [name, copy] of copies) if (copy.input === page.input) copies.delete(name);
    }
  }
  return { schema: 1, copies: [...copies.values()].sort(byDate), refused: [...refused.values()].sort((a, b) => a.input.localeCompare(b.input)) };
}

/** Newest first by publication date (else capture date); undated copies last, by title. */
function byDate(a: CollectionCopy, b: CollectionCopy): number {
  const time = (copy: CollectionCopy) => Date.parse(copy.published ?? copy.capturedAt ?? '') || Number.NEGATIVE_INFINITY;
  return time(b) - time(a) || a.title.localeCompare(b.title) || a.name.localeCompare(b.name);
}

/** Reading time in whole minutes at `wordsPerMinute` (a catalog's), as the copies give it. */
export function readingMinutes(words: number, wordsPerMinute = WORDS_PER_MINUTE): number {
  return Math.max(1, Math.round(words / wordsPerMinute));
}

/** How the index is written. */
export interface CollectionIndexOptions {
  /** A templates folder with `collection-index.*.hbs`, `styles.css` or `locales/` of its own. */
  templatesDir?: string;
  /**
   * The language of clearcopy's own words (the index's headings, each entry's labels), as
   * `--ui-lang` gives it for the copies. Otherwise the index is in English and each entry's labels
   * are in its copy's language (English, marked, where there is no catalog for it).
   */
  uiLang?: string;
}

/** The index's view: what the templates show, each entry with the localizer of its own language. */
function viewOf(collection: Collection, css: string, page: Localizer, entry: (lang: string) => Localizer) {
  const copies = collection.copies.map((copy) => {
    const date = copy.published ?? copy.capturedAt;
    const lang = copy.lang ?? 'en';
    const ui = entry(lang);
    const dateKey = copy.published ? 'article.published' : 'provenance.captured';
    return {
      ...copy,
      lang,
      dir: directionOf(lang),
      ui,
      bylineLabelled: copy.byline ? ui.bylineIsLabelled(copy.byline) : false,
      href: `${encodeURIComponent(copy.name)}.html`,
      textHref: `${encodeURIComponent(copy.name)}.txt`,
      date: date ? { iso: date, display: ui.date(date, dateKey), captured: !copy.published } : undefined,
      minutes: readingMinutes(copy.words, ui.wordsPerMinute),
    };
  });
  return { lang: page.lang, dir: page.dir, copies, refused: collection.refused, count: copies.length, refusedCount: collection.refused.length, css, csp: contentSecurityPolicy(css), generator: GENERATOR };
}

/**
 * Renders the index as HTML and text with the templates `collection-index.html.hbs` and
 * `collection-index.txt.hbs` of the templates folder (clearcopy's own where that folder has none).
 * Its words come from the message catalogs (`{{t}}`); `{{#in-language ui}}` renders an entry with
 * its own copy's localizer.
 */
export function renderCollectionIndex(collection: Collection, options: CollectionIndexOptions = {}): { html: string; text: string } {
  const { templatesDir, uiLang } = options;
  const catalogs = catalogsOf(templatesDir ?? DEFAULT_TEMPLATES_DIR);
  const hb = Handlebars.create();
  registerMessageHelpers(hb, catalogs);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('in-language', function (this: unknown, ui: Localizer, helper: Handlebars.HelperOptions) {
    const data = hb.createFrame(helper.data) as { ui: Localizer };
    data.ui = ui;
    return helper.fn(this, { data });
  });
  const read = (file: string) => {
    const own = templatesDir ? path.join(templatesDir, file) : undefined;
    const full = own && existsSync(own) ? own : path.join(DEFAULT_TEMPLATES_DIR, file);
    try {
      return { full, source: readFileSync(full, 'utf8') };
    } catch (error) {
      throw new ClearcopyError('TEMPLATE_MISSING', `${full}: template file is missing`, { file: full, cause: error });
    }
  };
  const compile = (file: string, options: Parameters<typeof Handlebars.compile>[1] = {}) => {
    const { full, source } = read(file);
    try {
      hb.parse(source);
      return hb.compile(source, { strict: false, ...options });
    } catch (error) {
      throw new ClearcopyError('TEMPLATE_BROKEN', `${full}: broken template: ${String((error as Error).message).split('\n')[0]}`, { file: full, cause: error });
    }
  };
  const css = read('styles.css').source;
  const pageLang = uiLang ?? 'en';
  const page = localizerFor(catalogs, pageLang, directionOf(pageLang), uiLang ? { uiLang } : {});
  const entries = new Map<string, Localizer>();
  const entry = (lang: string) => {
    let ui = entries.get(lang);
    if (!ui) entries.set(lang, (ui = localizerFor(catalogs, lang, directionOf(lang), uiLang ? { uiLang } : {})));
    return ui;
  };
  const view = viewOf(collection, css, page, entry);
  return {
    html: compile('collection-index.html.hbs')(view, { data: { ui: page } }),
    text: compile('collection-index.txt.hbs', { noEscape: true })(view, { data: { ui: page, uiFormat: 'text' } }),
  };
}

/** What finishing a run's collection did. */
export interface CollectionUpdate {
  copies: number;
  refused: number;
  /** Links in copies rewritten to point at other copies, by copy file. */
  linksRewritten: Record<string, number>;
}

/**
 * The end of a `render` run: the output folder's copies are linked to each other (every copy in
 * the collection, so copies of earlier runs link to new ones too), then the collection index is
 * written.
 */
export async function finishCollection(outDir: string, pages: readonly PageResult[], options: CollectionIndexOptions = {}): Promise<CollectionUpdate> {
  const collection = mergeCollection(await readCollection(outDir), pages, outDir);
  const files = collection.copies.map((copy) => `${copy.name}.html`);
  const addresses = collection.copies.filter((copy) => copy.url).map((copy) => ({ file: `${copy.name}.html`, url: copy.url! }));
  const links = await linkCopies(outDir, files, addresses);
  const { html, text } = renderCollectionIndex(collection, options);
  await writeFileAtomic(outDir, COLLECTION_FILES.data, `${JSON.stringify(collection, null, 2)}\n`);
  await writeFileAtomic(outDir, COLLECTION_FILES.text, text);
  await writeFileAtomic(outDir, COLLECTION_FILES.html, html);
  return { copies: collection.copies.length, refused: collection.refused.length, linksRewritten: Object.fromEntries(links) };
}
