import { Readability } from '@mozilla/readability';
import { fromDom } from 'hast-util-from-dom';
import type { ElementContent } from 'hast';
import { DEFAULT_MAX_ELEMENTS } from '../defaults.js';
import { ClearcopyError } from '../errors.js';
import type { ClearDoc, Meta } from '../model/document.js';
import type { LoadedPage } from '../load/file.js';
import { normalize, NORMALIZE_STEPS } from '../normalize/index.js';
import { forEachBlock, plainText, sameWords } from '../model/text.js';
import { closeDocument, parseHtml, textOf } from './dom.js';
import { prepareDocument, PREPARE_STEPS, PRESERVED_CLASSES } from './cleanup.js';
import { directionOf, normaliseLang, readMetadata, toIsoDate } from './metadata.js';
import { toBlocks } from './blocks.js';
import { crossCheckArticleBody } from './crosscheck.js';
import { addMissedSections } from './sections.js';
import { resolveLinks } from './sanitize.js';
import { confidentLanguage, guessLanguageFromScript } from './language.js';
import { judgeLanguage } from '../lang/detect.js';
import { isLinkListing, LISTING, notAnArticle } from './not-article.js';

const STEP_NAMES = new Set([...PREPARE_STEPS, ...NORMALIZE_STEPS].map((step) => step.name));

/** Options for {@link extract}. */
export interface ExtractOptions {
  /** Most elements a page may have before it is refused as too large to process (default: 200,000). */
  maxElements?: number;
  /** Fewest characters of article text accepted as an article (default: 20). */
  minTextLength?: number;
  /**
   * Names of clean-up steps to leave out (`PREPARE_STEPS` before Readability, `NORMALIZE_STEPS`
   * after), to measure what a step does (`npm run eval:extraction -- --steps`). Default: none.
   */
  skipSteps?: readonly string[];
  /**
   * Refuse pages that are not articles: framesets, login and sign-up pages, redirect stubs, and
   * listings of links with no body text (default: true).
   */
  refuse?: boolean;
  /**
   * Keep images that are files beside a local input (`file:` URLs inside the input's folder) in the
   * document, for outputs that carry them (an EPUB book). The HTML and text copies leave them out
   * either way; default: false (such images are dropped).
   */
  localImages?: boolean;
}

/**
 * Extracts the article from a loaded page: metadata from the head, clean-up steps, Readability on
 * jsdom, then clearcopy's typed blocks and normalisation. Throws `NO_ARTICLE` when the page holds
 * no article (a login form, an image, an empty shell).
 *
 * Synchronous: when extracting many pages in one loop, let the event loop turn between them
 * (`await new Promise(setImmediate)`); jsdom and V8 release a page's memory in tasks they queue, and
 * a loop that never yields grows until it runs out of memory.
 */
export function extract(page: LoadedPage, options: ExtractOptions = {}): ClearDoc {
  const label = page.source.label ?? page.source.path ?? page.source.url ?? page.source.name;
  const document = parseHtml(page.html, page.source.url);
  try {
    return extractFrom(document, page, options, label);
  } finally {
    // The model holds no DOM nodes: closing the window ends its timers and lets the page go now.
    closeDocument(document);
  }
}

function extractFrom(document: Document, page: LoadedPage, options: ExtractOptions, label: string): ClearDoc {
  const elementCount = document.getElementsByTagName('*').length;
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (elementCount > maxElements) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${label}: ${elementCount} elements is over the ${maxElements}-element limit (raise it with --max-elements)`, { file: page.source.path });
  }
  // Pages that are plainly something else (a frameset, a login form, a redirect stub) are refused
  // with their reason before any work.
  const kind = options.refuse === false ? undefined : notAnArticle(document, page.source.url);
  if (kind) throw new ClearcopyError('NO_ARTICLE', `${label}: no article: ${kind}`, { file: page.source.path });
  const pageMeta = readMetadata(document);
  const skip = new Set(options.skipSteps ?? []);
  for (const name of skip) {
    if (!STEP_NAMES.has(name)) throw new ClearcopyError('USAGE', `clearcopy: skipSteps: no clean-up step is named "${name}" (steps: ${[...STEP_NAMES].join(', ')})`);
  }
  const kept = (step: { name: string }) => !skip.has(step.name);
  const context = prepareDocument(document, PREPARE_STEPS.filter(kept), pageMeta.description);
  let article: ReturnType<Readability<Node>['parse']>;
  try {
    article = new Readability<Node>(document, { serializer: (node) => node, classesToPreserve: PRESERVED_CLASSES }).parse();
  } catch (error) {
    throw new ClearcopyError('NO_ARTICLE', `${label}: the page could not be read as an article (${error instanceof RangeError ? 'nesting too deep' : String((error as Error).message ?? error).split('\n')[0]})`, { file: page.source.path, cause: error });
  }
  if (!article?.content) {
    throw new ClearcopyError('NO_ARTICLE', `${label}: no article found in this page (is it an article, not an index, form or error page?)`, { file: page.source.path });
  }
  addMissedSections(document, article.content as Element, context);
  const tree = fromDom(article.content as Element);
  const baseUrl = page.source.url;
  const children = resolveLinks(tree.type === 'root' ? (tree.children as ElementContent[]) : [tree as ElementContent], baseUrl);
  const { blocks } = toBlocks(children, baseUrl, options.localImages === true, normaliseLang(pageMeta.lang));
  crossCheckArticleBody(blocks, pageMeta.articleBody);
  if (context.leadFigure) {
    const lead = toBlocks(resolveLinks([fromDom(context.leadFigure) as ElementContent], baseUrl), baseUrl).blocks.filter((b) => b.kind === 'figure');
    const shown = new Set<string>();
    forEachBlock(blocks, (b) => { if (b.kind === 'figure') shown.add(imageKey(b.image.src)); });
    blocks.unshift(...lead.filter((b) => b.kind === 'figure' && !shown.has(imageKey(b.image.src))));
  }

  const title = clean(context.headline) ?? clean(pageMeta.headline) ?? clean(article.title) ?? clean(pageMeta.title) ?? page.source.name;
  const bodyText = blocksText(blocks);
  // The declared language, unless the text is clearly in another one (a screen reader would use the
  // wrong voice); when none is declared, the one the text clearly reads as, then the script's, then English.
  const declaredLang = normaliseLang(pageMeta.lang) ?? normaliseLang(article.lang);
  const judged = judgeLanguage(declaredLang, bodyText);
  const lang = (judged.mismatch ? judged.detected : declaredLang) ?? confidentLanguage(bodyText) ?? guessLanguageFromScript(`${title} ${bodyText}`) ?? 'en';
  const declaredDir = pageMeta.dir ?? (article.dir === 'rtl' || article.dir === 'ltr' ? article.dir : undefined);
  const meta: Meta = { title, lang, dir: declaredDir ?? directionOf(lang) };
  const dek = clean(context.dek);
  if (dek && dek !== title) meta.dek = dek;
  const byline = [pageMeta.byline, article.byline, context.byline].map(clean).find((b) => b && b.length < 200 && !/^https?:/i.test(b));
  if (byline) meta.byline = byline.replace(/^by\s+/i, '');
  const published = pageMeta.published ?? toIsoDate(article.publishedTime ?? undefined) ?? timeInHeader(document);
  if (published) meta.published = published;
  if (pageMeta.modified) meta.modified = pageMeta.modified;
  const siteName = clean(pageMeta.siteName) ?? clean(article.siteName);
  if (siteName) meta.siteName = siteName;
  if (pageMeta.canonicalUrl) meta.canonicalUrl = pageMeta.canonicalUrl;
  const authors = pageMeta.authors ?? (meta.byline ? [meta.byline] : undefined);
  if (authors?.length) meta.authors = authors;
  if (pageMeta.section) meta.section = pageMeta.section;
  if (pageMeta.archive) meta.archive = pageMeta.archive;
  if (pageMeta.leadImage) {
    meta.leadImage = pageMeta.leadImage;
    applyLeadImageMetadata(blocks, pageMeta.leadImage);
  }
  if (context.archiveNotice) {
    meta.archiveNotice = { text: context.archiveNotice, ...(pageMeta.canonicalUrl ? { originalUrl: pageMeta.canonicalUrl } : {}) };
  }

  const doc: ClearDoc = { source: page.source, meta, blocks, findings: [] };
  PREPARED.set(doc, context.applied);
  normalize(doc, NORMALIZE_STEPS.filter(kept));
  const minText = options.minTextLength ?? 20;
  let figures = 0;
  forEachBlock(doc.blocks, (block) => { if (block.kind === 'figure') figures++; });
  let found = blocksText(doc.blocks).replace(/\s+/g, ' ').trim();
  // A page whose only prose is its introduction (a video or audio page, a short notice): the
  // introduction is the body, not a sub-headline over links (which go: they are the page's menus).
  if (meta.dek && meta.dek.length >= 80 && figures === 0 && (found.length < minText || isLinkListing(doc.blocks))) {
    doc.blocks = [{ kind: 'paragraph', content: [{ type: 'text', value: meta.dek }] }];
    delete meta.dek;
    found = blocksText(doc.blocks).replace(/\s+/g, ' ').trim();
  }
  if (options.refuse !== false && figures === 0 && isLinkListing(doc.blocks)) {
    throw new ClearcopyError('NO_ARTICLE', `${label}: no article: ${LISTING}`, { file: page.source.path });
  }
  if (found.length < minText && figures === 0) {
    const shown = found ? `only ${found.length} character${found.length === 1 ? '' : 's'} of text, "${found.length > 40 ? `${found.slice(0, 39)}…` : found}"` : 'no text';
    throw new ClearcopyError('NO_ARTICLE', `${label}: no article: ${shown} (an article needs ${minText}); the page looks like a form, an index, a stub or an error page`, { file: page.source.path });
  }
  return doc;
}

/** The clean-up steps before Readability that changed each extracted page (diagnostics, not part of the model). */
const PREPARED = new WeakMap<ClearDoc, readonly string[]>();

/**
 * Names of the clean-up steps before Readability (`PREPARE_STEPS`) that changed the page this
 * document was extracted from; empty for a document {@link extract} did not make in this process
 * (a copy, one read from the cache). Lets a measurement leave a step out only where it did something.
 */
export function preparedBy(doc: ClearDoc): readonly string[] {
  return PREPARED.get(doc) ?? [];
}

/**
 * Gives the figure that shows the metadata's lead image the caption and credit the JSON-LD names
 * (`image.caption`, `creditText`) when its own markup had none, and fills the lead image's missing
 * caption/credit from that figure, so both say the same.
 */
function applyLeadImageMetadata(blocks: ClearDoc['blocks'], lead: NonNullable<Meta['leadImage']>): void {
  const key = imageKey(lead.src);
  forEachBlock(blocks, (block) => {
    if (block.kind !== 'figure' || imageKey(block.image.src) !== key) return;
    if (!block.caption && lead.caption && !sameWords(lead.caption, block.image.alt)) {
      block.caption = [{ type: 'text', value: lead.caption }];
      block.captionRepeatsAlt = false;
    }
    if (!block.credit && lead.credit) block.credit = lead.credit;
    if (block.needsDescription && (block.image.alt || lead.caption)) {
      block.needsDescription = false;
      block.description = block.image.alt || lead.caption;
    }
    if (!lead.caption && block.caption) lead.caption = plainText(block.caption);
    if (!lead.credit && block.credit) lead.credit = block.credit;
  });
}

/** An image URL without query, fragment or size suffix, to tell whether two figures show one image. */
function imageKey(src: string): string {
  return src.replace(/[?#].*$/, '').replace(/[-_]\d+x\d+(?=\.\w+$)/, '');
}

function clean(value: string | null | undefined): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

function timeInHeader(document: Document): string | undefined {
  const time = document.querySelector('time[datetime]');
  return toIsoDate(time?.getAttribute('datetime') ?? undefined);
}

/** All text of the blocks, for length checks and language guessing. */
function blocksText(blocks: ClearDoc['blocks']): string {
  const parts: string[] = [];
  forEachBlock(blocks, (block) => {
    if (block.kind === 'paragraph' || block.kind === 'heading') parts.push(plainText(block.content));
    else if (block.kind === 'code') parts.push(block.text);
    else if (block.kind === 'table') for (const row of block.rows) for (const cell of row.cells) parts.push(plainText(cell.content));
  });
  return parts.join(' ');
}


