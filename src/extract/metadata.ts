import { decodeHTML } from 'entities';
import { textOf } from './dom.js';

/** Metadata read from a page's head and markup before Readability changes the document. */
export interface PageMetadata {
  title?: string;
  headline?: string;
  description?: string;
  byline?: string;
  published?: string;
  modified?: string;
  siteName?: string;
  lang?: string;
  dir?: 'ltr' | 'rtl';
  canonicalUrl?: string;
  /** JSON-LD `articleBody`, kept as a cross-check for extraction. */
  articleBody?: string;
  /** Every author named, in order. */
  authors?: string[];
  section?: string;
  leadImage?: { src: string; alt?: string; caption?: string; credit?: string };
  /** Wayback-style capture found in the canonical URL, `og:url` or the document URL. */
  archive?: { url: string; originalUrl?: string; capturedAt?: string };
}

type Json = Record<string, unknown>;

/** Reads title, dates, authors, language and canonical URL from meta tags and JSON-LD. */
export function readMetadata(document: Document): PageMetadata {
  // Every <meta> once, by lower-cased property, name and itemprop (one query, not one per name).
  const metas = new Map<string, string>();
  for (const el of document.getElementsByTagName('meta')) {
    const content = el.getAttribute('content')?.trim();
    if (!content) continue;
    for (const key of [el.getAttribute('property'), el.getAttribute('name'), el.getAttribute('itemprop')]) {
      if (key && !metas.has(key.toLowerCase())) metas.set(key.toLowerCase(), content);
    }
  }
  const meta = (...names: string[]): string | undefined => {
    for (const name of names) {
      const content = metas.get(name.toLowerCase());
      if (content) return content;
    }
    return undefined;
  };
  const ld = readJsonLdArticle(document);
  const result: PageMetadata = {};
  const set = <K extends keyof PageMetadata>(key: K, value: PageMetadata[K] | undefined) => {
    if (value !== undefined && value !== '') result[key] = value;
  };
  set('title', textOf(document.querySelector('title')) || undefined);
  set('headline', str(ld?.headline) ?? meta('og:title', 'twitter:title'));
  set('description', meta('og:description', 'description', 'twitter:description') ?? str(ld?.description));
  set('byline', authorNames(ld?.author) ?? meta('author', 'article:author', 'byl', 'parsely-author', 'sailthru.author'));
  set('published', toIsoDate(meta('article:published_time', 'datePublished', 'pubdate', 'publish-date', 'date', 'dc.date', 'parsely-pub-date') ?? str(ld?.datePublished)));
  set('modified', toIsoDate(meta('article:modified_time', 'dateModified', 'og:updated_time') ?? str(ld?.dateModified)));
  set('siteName', meta('og:site_name', 'application-name') ?? str((ld?.publisher as Json | undefined)?.name));
  const canonical = document.querySelector('link[rel~="canonical" i]')?.getAttribute('href') ?? meta('og:url');
  set('canonicalUrl', absoluteHttpUrl(canonical, document.baseURI));
  const root = document.documentElement;
  const lang = root.getAttribute('lang') ?? root.getAttribute('xml:lang') ?? document.body?.getAttribute('lang') ??
    meta('content-language', 'dc.language', 'language') ?? (meta('og:locale')?.replace('_', '-')) ?? str(ld?.inLanguage);
  set('lang', normaliseLang(lang));
  const dir = (root.getAttribute('dir') ?? document.body?.getAttribute('dir'))?.toLowerCase();
  if (dir === 'rtl' || dir === 'ltr') result.dir = dir;
  set('articleBody', str(ld?.articleBody));
  const authors = authorList(ld?.author);
  if (authors.length === 0) {
    for (const el of document.querySelectorAll('meta[name="author" i], meta[property="article:author" i]')) {
      const name = el.getAttribute('content')?.trim();
      if (name && !/^https?:/i.test(name)) authors.push(...name.split(/\s*(?:,|\band\b|&)\s*/).filter(Boolean));
    }
  }
  if (authors.length) result.authors = [...new Set(authors)];
  set('section', meta('article:section', 'section', 'parsely-section') ?? str(([] as unknown[]).concat(ld?.articleSection ?? [])[0]));
  const lead = leadImageOf(ld?.image, document.baseURI) ?? (meta('og:image', 'twitter:image') ? { src: absoluteHttpUrl(meta('og:image', 'twitter:image'), document.baseURI) ?? '', ...(meta('og:image:alt', 'twitter:image:alt') ? { alt: meta('og:image:alt', 'twitter:image:alt')! } : {}) } : undefined);
  if (lead?.src) result.leadImage = lead;
  const archive = [document.URL, canonical ?? undefined, meta('og:url')].map((url) => archiveCapture(url)).find(Boolean);
  if (archive) result.archive = archive;
  return result;
}

/** The first JSON-LD object of an article type (NewsArticle, BlogPosting…), searching @graph too. */
export function readJsonLdArticle(document: Document): Json | undefined {
  for (const script of document.querySelectorAll('script[type="application/ld+json" i]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const found = findArticle(data);
    if (found) return found;
  }
  return undefined;
}

const ARTICLE_TYPES = /^(Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BlogPosting|Report|ScholarlyArticle|TechArticle|SocialMediaPosting|LiveBlogPosting)$/;

function findArticle(data: unknown): Json | undefined {
  if (Array.isArray(data)) {
    for (const item of data) {
      const found = findArticle(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!data || typeof data !== 'object') return undefined;
  const object = data as Json;
  const types = ([] as unknown[]).concat(object['@type'] ?? []);
  if (types.some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t))) return object;
  return findArticle(object['@graph']);
}

/**
 * A JSON-LD string, white space collapsed. Character references are decoded: WordPress SEO
 * plugins write the title as it is escaped for HTML ("Atim: &#8222;The Woman King"), and JSON
 * holds it verbatim.
 */
function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = CHARACTER_REFERENCE.test(value) ? decodeHTML(value) : value;
  return text.replace(/\s+/g, ' ').trim() || undefined;
}

const CHARACTER_REFERENCE = /&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i;

/** Author names from JSON-LD `author` (a string, a Person, or a list of them). */
function authorList(author: unknown): string[] {
  return ([] as unknown[]).concat(author ?? []).map((a) => (typeof a === 'string' ? str(a) : str((a as Json)?.name))).filter((a): a is string => Boolean(a) && !/^https?:/i.test(a!));
}

/** The lead image from JSON-LD `image` (URL, ImageObject or list), with `caption` and `creditText`/`copyrightHolder`/`author`. */
function leadImageOf(image: unknown, base: string): { src: string; alt?: string; caption?: string; credit?: string } | undefined {
  const first = ([] as unknown[]).concat(image ?? [])[0];
  if (typeof first === 'string') {
    const src = absoluteHttpUrl(first, base);
    return src ? { src } : undefined;
  }
  if (!first || typeof first !== 'object') return undefined;
  const object = first as Json;
  const src = absoluteHttpUrl(str(object.url) ?? str(object.contentUrl), base);
  if (!src) return undefined;
  const holder = object.creditText ?? object.copyrightHolder ?? object.author ?? object.creator;
  const credit = typeof holder === 'string' ? str(holder) : authorList(holder).join(', ') || undefined;
  const caption = str(object.caption) ?? str(object.description);
  const alt = str(object.name);
  return { src, ...(alt ? { alt } : {}), ...(caption ? { caption } : {}), ...(credit ? { credit } : {}) };
}

/**
 * A web archive's capture from its address: `https://web.archive.org/web/20191119123456/https://…`
 * (also `id_`/`im_` flavours and archive.org mirrors) gives the capture time and the original URL.
 */
export function archiveCapture(url: string | undefined | null): { url: string; originalUrl?: string; capturedAt?: string } | undefined {
  if (!url) return undefined;
  const match = /^https?:\/\/(?:web\.)?(?:archive\.org|wayback\.archive-it\.org\/\d+|webarchive\.[a-z.]+|arquivo\.pt\/wayback)\/(?:web\/)?(\d{14})(?:[a-z]{2}_)?\/(.+)$/i.exec(url);
  if (!match) return undefined;
  const [, stamp, original] = match as unknown as [string, string, string];
  const capturedAt = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`;
  return { url, originalUrl: /^https?:/i.test(original) ? original : `http://${original}`, ...(Number.isNaN(Date.parse(capturedAt)) ? {} : { capturedAt }) };
}

function authorNames(author: unknown): string | undefined {
  const names = ([] as unknown[]).concat(author ?? []).map((a) => (typeof a === 'string' ? a : str((a as Json)?.name))).filter(Boolean);
  return names.length ? names.join(', ') : undefined;
}

/** Normalises a date string to ISO 8601: keeps ISO input as it is, converts other parseable dates to UTC. */
export function toIsoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return trimmed.replace(' ', 'T');
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A BCP 47-shaped language tag (`en`, `en-IN`, `pt-BR`), or undefined when the value is not one. */
export function normaliseLang(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const tag = value.trim().replace(/_/g, '-').split(/[\s,;]/)[0] ?? '';
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag)) return undefined;
  const [language, ...rest] = tag.split('-');
  return [language!.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part.length === 4 ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part.toLowerCase()))].join('-');
}

function absoluteHttpUrl(href: string | null | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Right-to-left primary languages (BCP 47 primary subtags). */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** Writing direction of a language tag. */
export function directionOf(lang: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(lang.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}
