import { textOf } from './dom.js';

/** What the steps before Readability learn about the page while they clean it. */
export interface PrepareContext {
  /** The archive notice's text, taken out of the page (shown once in the copy's own note). */
  archiveNotice?: string;
  /** The sub-headline, taken out of the page so it is not repeated in the body. */
  dek?: string;
  /** The page's single headline element text, when it has one. */
  headline?: string;
  /** The author line near the headline (Readability misses it when it sits in a removed <header>). */
  byline?: string;
  /** A copy of the lead image's figure (between headline and body), which Readability often leaves out. */
  leadFigure?: Element;
  /** The page's meta description (og:description), used to recognise the dek by its words. */
  description?: string;
  /** Names of the steps that changed something, for diagnostics and tests. */
  applied: string[];
}

/** One small, named clean-up step run on the page's DOM; returns how many nodes it changed. */
export interface PrepareStep {
  name: string;
  run(document: Document, context: PrepareContext): number;
}

/** Classes Readability must keep (it strips all others): they carry what these steps marked. */
export const PRESERVED_CLASSES = ['cc-credit', 'cc-caption'];

const ARCHIVE_NOTICE = /\b(exists as part of the (online )?archive|is part of (an|the|our) (online )?archive|this (article|page|story|post) (is|has been|was) archived|from the archives? of|(site|publication|edition) (closed|shut down) in \d{4})/i;

/** Removes a site's "this article is part of the archive" notices (top and bottom), keeping the text once. */
const archiveNotices: PrepareStep = {
  name: 'archive-notices',
  run(document, context) {
    let changed = 0;
    for (const element of smallestMatching(document, (el) => ARCHIVE_NOTICE.test(textOf(el)), 700)) {
      context.archiveNotice ??= textOf(element);
      element.remove();
      changed++;
    }
    return changed;
  },
};

/** Elements that are never article content in a reader copy. */
const NEVER_CONTENT = [
  'script', 'style', 'link', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'button', 'input', 'select', 'textarea', 'dialog', 'nav', 'canvas', 'audio', 'video', 'map',
  '[hidden]', '[aria-hidden="true"]', '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]',
  '[role="search"]', '[role="dialog"]', '[role="alertdialog"]', '[role="button"]', '[role="complementary"]',
].join(',');

const removeNonContent: PrepareStep = {
  name: 'non-content-elements',
  run(document) {
    let changed = 0;
    // Some CMSs wrap the whole page in one <form>: unwrap a form that holds article text, drop the rest.
    for (const form of [...document.body?.querySelectorAll('form') ?? []]) {
      if (paragraphText(form) > 300) form.replaceWith(...form.childNodes);
      else form.remove();
      changed++;
    }
    for (const element of [...document.body?.querySelectorAll(NEVER_CONTENT) ?? []]) {
      if (!element.isConnected) continue;
      element.remove();
      changed++;
    }
    return changed;
  },
};

/** Class or id tokens of ads, share bars, cookie banners, newsletter prompts and the like. */
const CLUTTER_TOKEN = /^(ad|ads|adv|advert|adverts|advertisement|advertising|ad-?slot|ad-?spot|ad-?unit|ad-?container|ad-?wrapper|dfp|gpt-ad|sponsored|sponsor|promo|outbrain|taboola|share|shares|sharing|share-?bar|share-?buttons|social|social-?share|social-?links|cookie|cookies|cookie-?banner|consent|gdpr|newsletter|subscribe|signup|sign-?up|related|related-?posts|related-?articles|recommended|more-?stories|most-?popular|trending|comments?|comment-?list|disqus|author-?bio|about-?author|tags|tag-?list|breadcrumbs?|toc|table-?of-?contents|sidebar|slideshow|carousel)$/i;

function clutterTokens(element: Element): string[] {
  const tokens = `${element.getAttribute('class') ?? ''} ${element.id}`.split(/\s+/).filter(Boolean);
  // Split BEM-like names too: "ad_spot", "share-bar__item" → also test their parts.
  return tokens.flatMap((token) => [token, ...token.split(/__|--/)]);
}

/** Removes ads, share bars, cookie banners, newsletter prompts, related blocks and comment sections by their class or id. */
const removeClutterByName: PrepareStep = {
  name: 'clutter-by-class',
  run(document) {
    let changed = 0;
    for (const element of [...document.body?.querySelectorAll('[class], [id]') ?? []]) {
      if (!element.isConnected || element === document.body) continue;
      if (!clutterTokens(element).some((token) => CLUTTER_TOKEN.test(token))) continue;
      // Never remove something holding most of the page's paragraphs (a mis-named wrapper).
      if (paragraphText(element) > 0.5 * paragraphText(document.body!) && paragraphText(element) > 500) continue;
      element.remove();
      changed++;
    }
    return changed;
  },
};

const RELATED_LABEL = /^(also on\b|related\b|more (from|on|in|stories|news|articles)\b|recommended\b|read (more|also|next)\b|you (may|might) (also )?like\b|most (popular|read|viewed|shared)\b|trending\b|popular (now|stories)\b|don't miss\b|top stories\b|latest (news|stories)\b|اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|ये भी पढ़ें|यह भी पढ़ें)/i;

/** Removes "Also On…", "Related", "More from…", "Recommended", "Read more", "Most popular" blocks, with their label. */
const removeRelatedBlocks: PrepareStep = {
  name: 'related-content',
  run(document) {
    let changed = 0;
    const labels = [...document.body?.querySelectorAll('h2, h3, h4, h5, h6, header, strong, b, p, span, div, li, dt') ?? []].filter((el) => {
      const text = textOf(el);
      return text.length > 0 && text.length < 60 && RELATED_LABEL.test(text) && !el.querySelector('p, li, h2, h3, h4, h5, h6');
    });
    for (const label of labels) {
      if (!label.isConnected) continue;
      const container = climbToBlockContainer(label);
      if (container !== label) {
        container.remove();
        changed++;
        continue;
      }
      // The label sits among article paragraphs: drop it and the link lists that follow it.
      let next = label.nextElementSibling;
      label.remove();
      changed++;
      while (next && linkDensity(next) > 0.5) {
        const after = next.nextElementSibling;
        next.remove();
        next = after;
      }
    }
    return changed;
  },
};

/** Drops tracking pixels, spacers and 1×1 images before Readability sees them. */
const removeTrackingImages: PrepareStep = {
  name: 'tracking-pixels',
  run(document) {
    let changed = 0;
    for (const img of [...document.querySelectorAll('img')]) {
      const width = Number(img.getAttribute('width'));
      const height = Number(img.getAttribute('height'));
      const src = img.getAttribute('src') ?? '';
      if ((width > 0 && width <= 2) || (height > 0 && height <= 2) || /(pixel|beacon|spacer|blank|tracking|1x1)\.(gif|png)|\/(pixel|beacon|b\/ss|collect)\b/i.test(src)) {
        img.remove();
        changed++;
      }
    }
    return changed;
  },
};

const CREDIT_CLASS = /(credit|copyright|photographer|attribution|byline|author|source)/i;
const CAPTION_CLASS = /(caption|legend|cutline)/i;

/**
 * Turns the many CMS shapes of a captioned image into `<figure><img><figcaption>` and marks credit
 * elements with the `cc-credit` class, so Readability keeps them and never takes a photo credit for
 * the article's byline.
 */
const normaliseFigures: PrepareStep = {
  name: 'figures',
  run(document) {
    let changed = 0;
    // WordPress: <div class="wp-caption"><img><p class="wp-caption-text">…</p></div>, and similar.
    for (const box of [...document.querySelectorAll('.wp-caption, [class*="image-container"], [class*="img-container"], [class*="photo-container"], [class*="figure"]:not(figure)')]) {
      const images = [...box.querySelectorAll('img')].filter((img) => !img.closest('noscript'));
      if (box.tagName === 'FIGURE' || images.length !== 1) continue;
      if (textOf(box).length > 600) continue;
      const figure = document.createElement('figure');
      while (box.firstChild) figure.append(box.firstChild);
      box.replaceWith(figure);
      changed++;
    }
    for (const figure of [...document.querySelectorAll('figure')]) {
      const caption = figure.querySelector('figcaption') ?? [...figure.querySelectorAll('*')].find((el) => CAPTION_CLASS.test(el.getAttribute('class') ?? '') && !el.querySelector('img'));
      if (caption && caption.tagName !== 'FIGCAPTION') {
        const figcaption = document.createElement('figcaption');
        while (caption.firstChild) figcaption.append(caption.firstChild);
        caption.replaceWith(figcaption);
        changed++;
      }
      for (const el of figure.querySelectorAll('*')) {
        const isCredit = CREDIT_CLASS.test(`${el.getAttribute('class') ?? ''} ${el.id}`) ||
          /^(copyrightHolder|creator|author|copyrightNotice|creditText)$/i.test(el.getAttribute('itemprop') ?? '') ||
          (el.tagName === 'SMALL' && el.closest('figcaption') !== null);
        if (!isCredit || el.querySelector('img') || textOf(el).length > 200) continue;
        el.setAttribute('class', 'cc-credit');
        el.removeAttribute('id');
        el.removeAttribute('itemprop');
        el.removeAttribute('rel');
        changed++;
      }
      figure.querySelector('figcaption')?.setAttribute('class', 'cc-caption');
    }
    return changed;
  },
};

const DEK_CLASS = /(^|[-_\s])(dek|deck|standfirst|subtitle|sub-?title|subhead|sub-?headline|strapline|summary)([-_\s]|$)/i;

/** Finds the headline and the sub-headline next to it; removes the dek from the page so the body does not repeat it. */
const headlineAndDek: PrepareStep = {
  name: 'headline-and-dek',
  run(document, context) {
    const h1s = [...document.querySelectorAll('h1')].filter((h) => textOf(h).length > 0);
    if (h1s.length === 1) context.headline = textOf(h1s[0]);
    const description = context.description ? textOf({ textContent: context.description } as Node) : undefined;
    const candidates = [...document.querySelectorAll('body *')].filter((el) => {
      const text = textOf(el);
      const byWords = description !== undefined && text === description && !el.querySelector('*:not(a, em, strong, i, b, span)');
      const byName = DEK_CLASS.test(`${el.getAttribute('class') ?? ''} ${el.id}`) && !/\b(byline|author)\b/i.test(el.getAttribute('class') ?? '');
      if (!byWords && !byName) return false;
      return text.length >= 10 && text.length <= 320 && !el.querySelector('p + p, h1, h2, img, ul, ol') && !el.closest('figure');
    });
    const h1 = h1s[0];
    const bylineElement = [...document.querySelectorAll('[rel~="author"], [itemprop~="author"], [class*="byline" i], [class*="author" i], [id*="byline" i]')]
      .find((el) => !el.closest('figure, footer, aside, .comments, #comments') && textOf(el).length > 2 && textOf(el).length < 100 && (!h1 || isNear(h1, el) || isNear(el, h1)));
    if (bylineElement) {
      const name = bylineElement.querySelector('[itemprop~="name"], [rel~="author"], a') ?? bylineElement;
      context.byline = textOf(name).replace(/^(by|von|par|por|door|di)\s+/i, '');
    }
    const dek = candidates.find((el) => !h1 || isNear(h1, el)) ?? (h1 ? undefined : candidates[0]);
    if (!dek) return 0;
    context.dek = textOf(dek);
    dek.remove();
    return 1;
  },
};

/**
 * Protects content Readability would drop by its names: heading ids that are only slugs of their
 * own text (e.g. "setting-headers-per-file-type" contains "header"), empty anchor links inside
 * headings, and the `<footer>` that names a quotation's source (Readability removes every footer).
 */
const protectContent: PrepareStep = {
  name: 'protect-content',
  run(document) {
    let changed = 0;
    const slug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
    for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      for (const anchor of [...heading.querySelectorAll('a')]) {
        if (!textOf(anchor).replace(/[\u200b#¶§🔗]/gu, '').trim()) {
          anchor.remove();
          changed++;
        }
      }
      const id = heading.id;
      if (id && slug(textOf(heading)).startsWith(slug(id).slice(0, 12)) && slug(id).length > 3) {
        heading.removeAttribute('id');
        changed++;
      }
      if (/(^|\s)(anchor|heading|title)[\w-]*(\s|$)/.test(heading.getAttribute('class') ?? '')) heading.removeAttribute('class');
    }
    for (const footer of [...document.querySelectorAll('blockquote footer, blockquote header')]) {
      const p = document.createElement('p');
      p.append(...footer.childNodes);
      footer.replaceWith(p);
      changed++;
    }
    return changed;
  },
};

/**
 * Keeps a copy of the lead figure: the first captioned or described image after the headline and
 * before the first real paragraph. Readability scores the body text and often drops it.
 */
const leadFigure: PrepareStep = {
  name: 'lead-figure',
  run(document, context) {
    const h1 = document.querySelector('h1');
    const firstParagraph = [...document.querySelectorAll('p')].find((p) => textOf(p).length > 80 && (!h1 || (h1.compareDocumentPosition(p) & 4) !== 0));
    for (const figure of document.querySelectorAll('figure')) {
      if (h1 && (h1.compareDocumentPosition(figure) & 4) === 0) continue; // before the headline
      if (firstParagraph && (firstParagraph.compareDocumentPosition(figure) & 2) === 0) break; // after the body starts
      if (!figure.querySelector('img') || figure.closest('nav, header nav, aside, footer')) continue;
      context.leadFigure = figure.cloneNode(true) as Element;
      return 1;
    }
    return 0;
  },
};

/** The ordered list of steps run on the page before Readability. Order matters: the archive notice is found before clutter is removed. */
export const PREPARE_STEPS: readonly PrepareStep[] = [
  archiveNotices,
  headlineAndDek,
  protectContent,
  normaliseFigures,
  removeTrackingImages,
  leadFigure,
  removeNonContent,
  removeRelatedBlocks,
  removeClutterByName,
];

/** Runs the steps in order on the document. */
export function prepareDocument(document: Document, steps: readonly PrepareStep[] = PREPARE_STEPS, description?: string): PrepareContext {
  const context: PrepareContext = { applied: [], ...(description ? { description } : {}) };
  for (const step of steps) if (step.run(document, context) > 0) context.applied.push(step.name);
  return context;
}

// ——— helpers ———

/** The deepest elements whose text matches, each no longer than maxLength characters. */
function smallestMatching(document: Document, test: (el: Element) => boolean, maxLength: number): Element[] {
  const found: Element[] = [];
  for (const el of document.body?.querySelectorAll('*') ?? []) {
    if (textOf(el).length > maxLength || !test(el)) continue;
    if ([...el.children].some((child) => test(child))) continue;
    found.push(el);
  }
  // A matching paragraph inside a matching banner: keep the outermost small box (the whole banner).
  return found.map((el) => {
    let box = el;
    while (box.parentElement && box.parentElement !== document.body && textOf(box.parentElement).length <= maxLength && test(box.parentElement)) box = box.parentElement;
    return box;
  }).filter((el, index, all) => all.indexOf(el) === index);
}

/** Characters of text inside the element's paragraphs. */
function paragraphText(element: Element): number {
  let total = 0;
  for (const p of element.querySelectorAll('p')) total += textOf(p).length;
  return total;
}

function linkDensity(element: Element): number {
  const text = textOf(element).length;
  if (text === 0) return element.querySelector('a, img') ? 1 : 0;
  let linked = 0;
  for (const a of element.querySelectorAll('a')) linked += textOf(a).length;
  return linked / text;
}

/** Climbs from a label to the largest ancestor that holds no article paragraph of its own. */
function climbToBlockContainer(label: Element): Element {
  let container = label;
  for (;;) {
    const parent = container.parentElement;
    if (!parent || /^(BODY|HTML|MAIN|ARTICLE)$/.test(parent.tagName)) return container;
    const ownParagraphs = [...parent.querySelectorAll('p')].filter((p) => !container.contains(p) && textOf(p).length > 120 && linkDensity(p) < 0.3);
    if (ownParagraphs.length > 0) return container;
    container = parent;
  }
}

/** True when `other` is within a few elements of the headline in document order. */
function isNear(headline: Element, other: Element): boolean {
  const doc = headline.ownerDocument;
  const walker = doc.createTreeWalker(doc.body, 1 /* SHOW_ELEMENT */);
  walker.currentNode = headline;
  for (let i = 0; i < 40 && walker.nextNode(); i++) if (walker.currentNode === other) return true;
  return false;
}
