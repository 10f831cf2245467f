import type { Element, ElementContent } from 'hast';
import type { FigureBlock, Inline } from '../model/document.js';
import { plainText, sameWords } from '../model/text.js';

/** An image as found in the article, with its caption element when it had one. */
export interface RawFigure {
  /** An `<img>`, a `<picture>`, or an inline element wrapping one image. */
  image: Element;
  caption: Element | undefined;
  container: Element;
  pageUrl: string | undefined;
  /** Keep an image that is a file beside a local input (a `file:` URL under the page's folder). */
  localImages?: boolean;
}

/** Words that say nothing about an image when they are all its alt text says. */
const EMPTY_ALT_WORDS = /^(image|img|photo|photograph|picture|pic|placeholder|graphic|untitled|thumbnail|thumb|icon|figure|banner|null|undefined|alt|spacer|blank|default|featured image|main image|lead image|hero image|no alt|image \d+|photo \d+)$/i;

/**
 * True when an alt text is useless to a listener: empty, a file name, a URL, a camera's
 * automatic name, or only a generic word such as "image" or "photo".
 */
export function isUselessAlt(alt: string | undefined): boolean {
  if (!alt) return true;
  const text = alt.trim();
  if (!text) return true;
  if (/^(https?:|www\.|\/\/|data:)/i.test(text)) return true;
  if (/\.(jpe?g|png|gif|webp|svg|avif|bmp|tiff?|heic)(\?.*)?$/i.test(text)) return true;
  if (/^(img|dsc|dscn|dsc_|pxl|photo|image|screenshot|screen shot|untitled)[-_ ]?\d[\w-]*$/i.test(text)) return true;
  if (/^[\w-]*\d{6,}[\w-]*$/.test(text)) return true; // camera and CMS ids (20160831_1234), not a year
  if (/^[\p{P}\p{S}]+$/u.test(text)) return true; // "-", "*", "…"
  if (/^[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)+$/u.test(text)) return true; // a file's name without its extension ("haze_in_singapore_2")
  return EMPTY_ALT_WORDS.test(text.replace(/[.:!]+$/, ''));
}

/** Words that introduce a photo credit, in the languages clearcopy has met ("Photo:", "Foto:", "تصوير:", "फोटो:"). */
const CREDIT_WORDS = '(?:photo(?:graph)?s?|image|picture|pictures|credit|credits|photo credit|image credit|illustration|source|foto|fotos|bild|crédit|crédito|copyright|تصوير|صورة|الصورة|المصدر|फोटो|चित्र|तस्वीर|צילום)';
/** "Photo: X", "Photo by X", "© X", "Courtesy of X": a label word needs a colon or "by" so "an image of Gandhi" is no credit. */
const CREDIT_INTRO = `(?:${CREDIT_WORDS}\\s*(?:by\\s+|[:：]\\s*)|©\\s*|courtesy(?: of)?\\s+)`;
const CREDIT_PREFIX = new RegExp(`(?:^|[\\s.;|,—–-])\\s*\\(?\\s*${CREDIT_INTRO}([^()]{2,120}?)\\)?\\s*$`, 'iu');
/** A leading credit label, removed from credit text ("Photo: Jane Doe" → "Jane Doe"). */
const CREDIT_LABEL = new RegExp(`^\\s*${CREDIT_INTRO}`, 'iu');
/** A credit label left at the end once the credit's name is taken off ("… anomaly? Photo by"). */
const TRAILING_CREDIT_LABEL = new RegExp(`[\\s.;|,—–-]*\\(?\\s*(?:${CREDIT_WORDS}\\s*(?:by|[:：])|©|courtesy(?: of)?)\\s*$`, 'iu');
/** "Adnan Abidi/Reuters", "J. Doe/AFP/Getty Images": capitalised names (initials allowed), a slash, an agency. */
const AGENCY_SLASH = /(?:^|\s)((?:[\p{Lu}](?:\.|[\p{L}'’-]*)\s?){1,4}\/\s?(?:[\p{Lu}][\p{L}&'’-]*(?:\s|\/)?){1,4})\s*$/u;
const WIRE_PARENS = /\s*\(((?:Reuters|AP|AFP|Getty Images|PTI|ANI|IANS|EPA|Bloomberg|AP Photo[^)]*|Reuters[^)]*|AFP[^)]*|Getty[^)]*))\)\s*$/i;

/**
 * Splits a credit off the end of a caption: "… Photo: Jane Doe", "… (Reuters)", "… Adnan Abidi/Reuters".
 * Returns the caption without it and the credit without its "Photo:" label.
 */
export function splitCredit(caption: string): { caption: string; credit?: string } {
  for (const pattern of [WIRE_PARENS, CREDIT_PREFIX, AGENCY_SLASH]) {
    const match = pattern.exec(caption);
    if (!match?.[1]) continue;
    const credit = match[1].trim().replace(/[.;,]+$/, '');
    // Keep the caption's own full stop ("… Millers Dale. Photo: …" → "… Millers Dale.").
    const rest = caption.slice(0, match.index + (/^[.!?]/.test(match[0]) ? 1 : 0)).trim();
    if (credit.length < 2) continue;
    // "Photo: …" with nothing before it is a whole caption that is only a credit.
    return { caption: rest, credit };
  }
  return { caption };
}

/**
 * Builds a figure block: the image's best source, alt text judged for usefulness, the caption and
 * the credit separated, and the alt emptied when the caption already says the same words (so a
 * screen reader reads them once). A figure whose image has no usable source keeps its words with
 * `imageLeftOut`; returns undefined for images with nothing to show or say.
 */
export function buildFigure(raw: RawFigure, inline: (nodes: readonly ElementContent[]) => Inline): FigureBlock | undefined {
  const img = raw.image.tagName === 'img' ? raw.image : findImg(raw.image);
  if (!img) return undefined;
  const src = bestSource(img, raw.image, raw.pageUrl, raw.localImages === true);
  // A figure whose picture cannot be shown (a placeholder, an unsafe SVG) keeps its words: its alt
  // text, caption and credit stay, without the image.
  if (!src && raw.container.tagName !== 'figure' && !raw.caption) return undefined;
  const srcset = src ? pickSrcset(img, raw.image, raw.pageUrl) : undefined;

  let caption: Inline | undefined;
  let credit: string | undefined;
  if (raw.caption) {
    const creditNodes = findAll(raw.caption, (el) => hasClass(el, 'cc-credit'));
    credit = creditNodes.map((el) => plainText(el.children)).filter(Boolean).join('; ') || undefined;
    const withoutCredit = removeMatching(raw.caption, (el) => hasClass(el, 'cc-credit'));
    caption = inline(withoutCredit.children);
  }
  // Credit elements can also sit beside the caption, inside the figure.
  if (!credit && raw.container !== raw.image) {
    const outside = findAll(raw.container, (el) => hasClass(el, 'cc-credit') && !(raw.caption && contains(raw.caption, el)));
    credit = outside.map((el) => plainText(el.children)).filter(Boolean).join('; ') || undefined;
  }
  let captionText = caption ? plainText(caption) : '';
  if (captionText && !credit) {
    const split = splitCredit(captionText);
    if (split.credit) {
      credit = split.credit;
      captionText = split.caption;
      caption = captionText ? [{ type: 'text', value: captionText }] : undefined;
    }
  }
  credit = credit?.replace(CREDIT_LABEL, '').replace(/^[(\s]+|[)\s]+$/g, '').trim() || undefined;
  if (caption && !captionText) caption = undefined;

  // Alt is plain text; some CMSs write markup into it (`alt="<span style=…>Nintendo</span>"`): keep the words.
  const rawAlt = typeof img.properties.alt === 'string' ? img.properties.alt.replace(/<\/?[a-z][^<>]*>/gi, ' ').replace(/\s+/g, ' ').trim() : undefined;
  // alt="" marks an image decorative, but many CMSs write it on every photo: a content photo
  // (sized, responsive, classed as the article's image, or in a <figure>) is kept and flagged
  // as needing a description; a divider, spacer or icon is dropped.
  const explicitlyDecorative = rawAlt === '' && !captionText && !credit && !looksLikeContentImage(img, raw);
  if (explicitlyDecorative) return undefined; // the author marked it decorative and nothing describes it
  let alt = isUselessAlt(rawAlt) || (credit && sameWords(rawAlt, credit)) ? '' : rawAlt!;
  // Alt text that repeats the caption with the credit glued on: keep the caption's words only.
  if (alt && credit && alt.endsWith(credit)) alt = alt.slice(0, -credit.length).trim().replace(TRAILING_CREDIT_LABEL, '').trim();
  // Alt and caption with the same words: keep the alt (the image's name) and mark the caption as a
  // repeat, so a screen reader reads the words once and sighted readers still see the caption.
  if (!alt && captionText && captionText.length <= 250) alt = captionText; // the publisher's caption names the image
  const captionRepeatsAlt = Boolean(alt && captionText && sameWords(alt, captionText));
  const description: string | undefined = alt || captionText || undefined;
  if (!src && !description && !credit) return undefined; // nothing left to show or say
  const needsDescription = Boolean(src) && !alt && !captionText;
  const width = Number(img.properties.width);
  const height = Number(img.properties.height);
  return {
    kind: 'figure',
    image: { src: src ?? '', ...(srcset ? { srcset } : {}), alt, ...(width > 0 ? { width } : {}), ...(height > 0 ? { height } : {}) },
    ...(src ? {} : { imageLeftOut: true }),
    ...(description ? { description } : {}),
    ...(caption ? { caption } : {}),
    ...(credit ? { credit } : {}),
    captionRepeatsAlt,
    needsDescription,
  };
}

/** True for an image that is plainly a photo of the article, whatever its alt says (see {@link buildFigure}). */
function looksLikeContentImage(img: Element, raw: RawFigure): boolean {
  const width = Number(img.properties.width);
  const height = Number(img.properties.height);
  if ((width > 0 && width < 100) || (height > 0 && height < 100)) return false;
  const classes = Array.isArray(img.properties.className) ? img.properties.className.join(' ') : String(img.properties.className ?? '');
  if (classes.includes('cc-content-image')) return true; // judged before Readability stripped the page's classes
  if (/icon|logo|avatar|emoji|spacer|divider|badge|button/i.test(classes)) return false;
  // A photograph format (JPEG, WebP, AVIF) is a picture, not a spacer, rule or icon (those are GIF, PNG or SVG).
  const src = [img.properties.src, ...LAZY_ATTRS.map((name) => img.properties[name])].find((value) => typeof value === 'string' && value.trim());
  if (typeof src === 'string' && /\.(jpe?g|webp|avif)(?:[?#]|$)/i.test(src)) return true;
  return width >= 200 || height >= 200 || raw.container.tagName === 'figure' || raw.image.tagName === 'picture' ||
    img.properties.srcSet !== undefined || img.properties.dataSrcset !== undefined || /(^|[-_\s])(article|content|lead|hero|featured|wp-image|size-(?:full|large|medium))/i.test(classes);
}

const LAZY_ATTRS = ['dataSrc', 'dataOriginal', 'dataLazySrc', 'dataUrl', 'dataHiRes', 'dataFullSrc', 'dataLazyload', 'dataOriginalSrc'];

function bestSource(img: Element, outer: Element, base: string | undefined, local: boolean): string | undefined {
  const candidates: unknown[] = [...LAZY_ATTRS.map((name) => img.properties[name]), img.properties.src];
  for (const raw of candidates) {
    if (typeof raw !== 'string' || !raw.trim()) continue;
    const candidate = /^\s*[{[]/.test(raw) ? sourceInJson(raw) : raw;
    if (!candidate) continue;
    if (/^data:/i.test(candidate) && (candidate.length < 200 || !/^data:image\/(png|jpe?g|gif|webp|avif)/i.test(candidate))) continue; // placeholder or not an image
    const url = safeImageUrl(candidate, base) ?? (local ? localImageUrl(candidate, base) : undefined);
    if (url) return url;
  }
  // Only a srcset: take its largest candidate.
  const srcset = pickSrcset(img, outer, base);
  return srcset?.split(',').at(-1)?.trim().split(/\s+/)[0];
}

function pickSrcset(img: Element, outer: Element, base: string | undefined): string | undefined {
  const sources = [img.properties.dataSrcset, img.properties.srcSet, ...findAll(outer, (el) => el.tagName === 'source').map((s) => s.properties.srcSet ?? s.properties.dataSrcset)];
  for (const value of sources) {
    const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
    if (!text?.trim()) continue;
    const parts = text.split(/,\s+(?=\S)/).map((part) => {
      const [url, descriptor] = part.trim().split(/\s+/, 2);
      const safe = url ? safeImageUrl(url, base) : undefined;
      return safe ? `${safe}${descriptor ? ` ${descriptor}` : ''}` : undefined;
    }).filter(Boolean);
    if (parts.length) return parts.join(', ');
  }
  return undefined;
}

/**
 * The first image address in a lazy loader's JSON attribute (MSN, some React sites:
 * `data-src='{"default":{"src":"//cdn/…"},"size2column":{…}}'`), from a `src` or `url` key.
 */
function sourceInJson(json: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const queue: unknown[] = [data];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (!node || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && /^(src|url)$/i.test(key) && value.trim()) return value;
      if (value && typeof value === 'object') queue.push(value);
    }
  }
  return undefined;
}

/** An absolute http(s) URL, a data: URL of a raster image, or a file: URL of a page read from disk; anything else is refused. */
export function safeImageUrl(value: string, base: string | undefined): string | undefined {
  const trimmed = value.trim();
  if (/^data:image\/(png|jpe?g|gif|webp|avif);base64,[a-z0-9+/=\s]+$/i.test(trimmed)) return trimmed.replace(/\s+/g, '');
  try {
    const url = new URL(trimmed, base);
    // A page read from disk may show files beside it (a saved page's name_files/ folder).
    return url.protocol === 'http:' || url.protocol === 'https:' || (url.protocol === 'file:' && base?.startsWith('file:')) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `file:` URL of an image beside a local input: the page's address is a `file:` URL and the image
 * resolves inside the page's folder. Only for outputs that carry images (EPUB); never in a copy.
 */
export function localImageUrl(value: string, base: string | undefined): string | undefined {
  if (!base?.startsWith('file:')) return undefined;
  try {
    const url = new URL(value.trim(), base);
    const folder = new URL('.', base);
    return url.protocol === 'file:' && url.pathname.startsWith(folder.pathname) && !url.search ? url.href.replace(/#.*$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** True for an image address that names a file on this machine (kept only for EPUB books). */
export function isLocalImage(src: string): boolean {
  return src.startsWith('file:');
}

function findImg(el: Element): Element | undefined {
  return findAll(el, (c) => c.tagName === 'img')[0];
}
function findAll(el: Element, test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    if (test(c)) found.push(c);
    else found.push(...findAll(c, test));
  }
  return found;
}
function contains(root: Element, target: Element): boolean {
  return root === target || root.children.some((c) => c.type === 'element' && contains(c, target));
}
function removeMatching(el: Element, test: (el: Element) => boolean): Element {
  return { ...el, children: el.children.filter((c) => !(c.type === 'element' && test(c))).map((c) => (c.type === 'element' ? removeMatching(c, test) : c)) };
}
function hasClass(el: Element, name: string): boolean {
  const value = el.properties.className;
  return Array.isArray(value) ? value.includes(name) : value === name;
}
