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
}

type Json = Record<string, unknown>;

/** Reads title, dates, authors, language and canonical URL from meta tags and JSON-LD. */
export function readMetadata(document: Document): PageMetadata {
  const meta = (...names: string[]): string | undefined => {
    for (const name of names) {
      const el = document.querySelector(`meta[property="${name}" i], meta[name="${name}" i], meta[itemprop="${name}" i]`);
      const content = el?.getAttribute('content')?.trim();
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

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim() || undefined;
  return undefined;
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
