import { createHash } from 'node:crypto';
import { toHtml } from 'hast-util-to-html';
import type { ClearDoc, Inline } from '../model/document.js';
import { formatDate } from '../render/dates.js';
import { tidyLinks } from '../model/links.js';
import { countWords, plainText } from '../model/text.js';
import { blockViews, captureNote, type BlockView } from '../render/html.js';
import { GENERATOR } from '../version.js';
import { imageExtension, type ImageResolver } from './images.js';
import type { EpubTemplates } from './templates.js';

/** Words read per minute (as in the HTML copy). */
const WORDS_PER_MINUTE = 230;

/** An image file the book carries. */
export interface EpubImage {
  /** Path inside the book, beside the chapters (`images/<hash>.png`); the same bytes give the same path. */
  href: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * One article as a chapter of a book: its XHTML content document and what the package and the
 * navigation need from it. Plain data, so it can be made on a worker thread beside the HTML copy.
 */
export interface EpubChapter {
  xhtml: string;
  title: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The article's headings one level below its headline, with their ids in the chapter. */
  headings: { id: string; text: string }[];
  images: EpubImage[];
  creators: string[];
  published?: string;
  siteName?: string;
  dek?: string;
  /** The address the article was published at, when known. */
  sourceUrl?: string;
  /** What identifies the input (its address or file name), for the book's identifier. */
  identity: string;
  /** Counts for the accessibility metadata and summary. */
  counts: { describedImages: number; undescribedImages: number; leftOutImages: number; tables: number };
}

/** Options for {@link renderChapter}. */
export interface ChapterOptions {
  /** Finds the bytes of the article's images; an image it cannot find is left out as text (default: none found). */
  resolveImage?: ImageResolver;
}

/**
 * Renders one document as an EPUB chapter (XHTML) with the article's block partials: the same
 * view as the HTML copy, serialised as XML, headings below the headline given ids for the
 * navigation, and images either carried (resolved to bytes) or left out with their description.
 */
export function renderChapter(doc: ClearDoc, templates: EpubTemplates, options: ChapterOptions = {}): EpubChapter {
  const { meta } = doc;
  const resolve = options.resolveImage ?? (() => undefined);
  const images = new Map<string, EpubImage>();
  const counts = { describedImages: 0, undescribedImages: 0, leftOutImages: 0, tables: 0 };
  const headings: EpubChapter['headings'] = [];
  const blocks = blockViews(doc.blocks, inlineXhtml, true);
  for (const view of blocks) {
    if (view.partial === 'heading' && view.level === 2) {
      const id = `cc-s${headings.length + 1}`;
      view.id = id;
      headings.push({ id, text: xmlText(plainText(headingContent(doc, headings.length))) });
    }
  }
  forEachView(blocks, (view) => {
    if (view.partial === 'table') counts.tables++;
    if (view.partial !== 'figure') return;
    const found = typeof view.src === 'string' ? resolve(view.src) : undefined;
    if (!found) {
      counts.leftOutImages++;
      if (view.needsDescription) counts.undescribedImages++;
      return;
    }
    const href = `images/${createHash('sha256').update(found.bytes).digest('hex').slice(0, 20)}.${imageExtension(found.mediaType)}`;
    images.set(href, { href, mediaType: found.mediaType, bytes: found.bytes });
    view.href = href;
    if (view.needsDescription) counts.undescribedImages++;
    else counts.describedImages++;
  });
  const words = countWords(doc);
  const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
  const capture = captureNote(doc);
  const originalUrl = meta.archiveNotice?.originalUrl ?? doc.source.originalUrl ?? meta.canonicalUrl;
  const view = {
    lang: meta.lang,
    dir: meta.dir,
    title: meta.title,
    dek: meta.dek,
    byline: meta.byline,
    published: meta.published ? { iso: htmlDatetime(meta.published), display: formatDate(meta.published, meta.lang) } : undefined,
    siteName: meta.siteName,
    archiveNotice: meta.archiveNotice?.text,
    originalUrl,
    capture: capture ? { ...capture, iso: htmlDatetime(capture.iso) } : undefined,
    sourceLabel: doc.source.path ? `the archived file ${doc.source.path.split(/[\\/]/).pop()}` : doc.source.url ?? 'an archived page',
    generator: GENERATOR,
    wordCount: words.toLocaleString('en'),
    readingMinutes: minutes,
    readingMinutesOne: minutes === 1,
    blocks,
  };
  const creators = meta.authors?.length ? meta.authors : meta.byline ? [meta.byline] : [];
  const sourceUrl = originalUrl ?? doc.source.url;
  return {
    xhtml: xmlText(templates.chapter(view)),
    title: meta.title,
    lang: meta.lang,
    dir: meta.dir,
    headings,
    images: [...images.values()],
    // A byline that is only a date (pages put the time where the name goes) names no one.
    creators: [...new Set(creators.map((c) => c.trim()).filter((c) => c && !looksLikeDate(c)))],
    ...(meta.published ? { published: meta.published } : {}),
    ...(meta.siteName ? { siteName: meta.siteName } : {}),
    ...(meta.dek ? { dek: meta.dek } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
    identity: sourceUrl ?? doc.source.path?.split(/[\\/]/).pop() ?? doc.source.name,
    counts,
  };
}

/** A time of day, or a year with a month name: a date, not a person ("Sunday, Feb 1, 2015 11:57 AM UTC"). */
function looksLikeDate(text: string): boolean {
  return /\b\d{1,2}:\d{2}\b/.test(text) || (/\b(?:19|20)\d{2}\b/.test(text) && /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i.test(text));
}

/** The inline content of the n-th top-level level-2 heading. */
function headingContent(doc: ClearDoc, n: number): Inline {
  return doc.blocks.filter((b) => b.kind === 'heading' && b.level === 2).map((b) => (b.kind === 'heading' ? b.content : []))[n] ?? [];
}

/** Visits every block view, nested ones (lists, quotes) too. */
function forEachView(views: readonly BlockView[], visit: (view: BlockView) => void): void {
  for (const view of views) {
    visit(view);
    if (Array.isArray(view.blocks)) forEachView(view.blocks as BlockView[], visit);
    if (Array.isArray(view.items)) for (const item of view.items as BlockView[][]) forEachView(item, visit);
  }
}

/**
 * Sanitised inline content as XHTML: void elements closed (`<br/>`), links tidied as in the HTML
 * copy, and a `datetime` that is not a valid date or time string dropped (a `<time>` with none becomes a `<span>`).
 */
export function inlineXhtml(nodes: Inline): string {
  return toHtml({ type: 'root', children: validTimes(tidyLinks(nodes)) }, { closeSelfClosing: true, tightSelfClosing: true });
}

function validTimes(nodes: Inline): Inline {
  return nodes.map((node) => {
    if (node.type !== 'element') return node;
    const children = validTimes(node.children);
    const value = node.properties.dateTime;
    if (value === undefined && node.tagName !== 'time') return { ...node, children };
    const datetime = typeof value === 'string' ? htmlDatetime(value) : undefined;
    if (datetime) return { ...node, properties: { ...node.properties, dateTime: datetime }, children };
    const { dateTime: _dropped, ...properties } = node.properties;
    // <del>/<ins> lose only the attribute; a <time> without a valid one is text.
    return { ...node, tagName: node.tagName === 'time' ? 'span' : node.tagName, properties, children };
  });
}

/**
 * A value for `datetime` that the HTML date and time microsyntaxes accept (what EPUBCheck
 * validates): ISO 8601 as pages write it, fractions of a second cut to milliseconds; otherwise undefined.
 */
export function htmlDatetime(value: string): string | undefined {
  const v = value.trim().replace(/(T\d{2}:\d{2}:\d{2}\.\d{1,3})\d+/, '$1');
  const valid = [
    /^\d{4,}-\d{2}-\d{2}$/,
    /^\d{4,}-\d{2}$/,
    /^\d{4}$/,
    /^\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/,
  ];
  return valid.some((pattern) => pattern.test(v)) ? v : undefined;
}

/** Removes what XML 1.0 cannot hold (control characters, lone surrogates), as characters or as references. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&#(?:x0*(?:[0-8bcef]|1[0-9a-f]|fffe|ffff)|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));/gi, '');
}
