import { textOf } from './dom.js';
import { INLINE_ELEMENT, proseLength } from './prose.js';
import { RELATED_PHRASES } from '../normalize/boilerplate-words.js';
import { bodySections } from './sections.js';
import { headsPage, otherStories, titleShare, titleWords } from './stories.js';

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
  /** The first words of each body section marked by the `body-sections` step, in page order. */
  sections?: string[];
  /** Names of the steps that changed something, for diagnostics and tests. */
  applied: string[];
}

/** One small, named clean-up step run on the page's DOM; returns how many nodes it changed. */
export interface PrepareStep {
  name: string;
  run(document: Document, context: PrepareContext): number;
}

/** Classes Readability must keep (it strips all others): they carry what these steps marked. */
export const PRESERVED_CLASSES = ['cc-credit', 'cc-caption', 'cc-content-image'];

const ARCHIVE_NOTICE = /\b(exists as part of the (online )?archive|is part of (an|the|our) (online )?archive|this (article|page|story|post) (is|has been|was) archived|from the archives? of|(site|publication|edition) (closed|shut down) in \d{4})/i;

/** {@link ARCHIVE_NOTICE} with any run of white space between its words. */
const ARCHIVE_NOTICE_SPACED = new RegExp(ARCHIVE_NOTICE.source.replace(/ /g, '\\s+'), 'i');

/** Removes a site's "this article is part of the archive" notices (top and bottom), keeping the text once. */
const archiveNotices: PrepareStep = {
  name: 'archive-notices',
  run(document, context) {
    let changed = 0;
    // Most pages have none: skip the element-by-element search (on the raw text, spaces uncollapsed).
    if (!ARCHIVE_NOTICE_SPACED.test(document.body?.textContent ?? '')) return 0;
    for (const element of smallestMatching(document, (el) => ARCHIVE_NOTICE.test(textOf(el)), 700)) {
      context.archiveNotice ??= textOf(element);
      element.remove();
      changed++;
    }
    return changed;
  },
};

/**
 * Elements that are never article content in a reader copy: script, style, link, template, frames,
 * object, embed, applet, form controls, dialog, nav, canvas, audio, video, map, [hidden],
 * [aria-hidden="true"] (except an image with alt text) and the navigation, banner, contentinfo,
 * search, dialog, button and complementary roles. Tested in plain code, not with a selector.
 */
const NEVER_CONTENT_TAGS = new Set(['SCRIPT', 'STYLE', 'LINK', 'TEMPLATE', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'DIALOG', 'NAV', 'CANVAS', 'AUDIO', 'VIDEO', 'MAP']);
const NEVER_CONTENT_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search', 'dialog', 'alertdialog', 'button', 'complementary']);
function isNeverContent(el: Element): boolean {
  if (NEVER_CONTENT_TAGS.has(el.tagName) || el.hasAttribute('hidden')) return true;
  // A control is no content, except a click-to-enlarge box around a figure (a lightbox).
  const role = el.getAttribute('role') ?? '';
  if (NEVER_CONTENT_ROLES.has(role)) return !(role === 'button' && el.querySelector('figure, picture'));
  // aria-hidden hides an element from screen readers, often because a twin says the same (MathML
  // beside a formula's image). An image with alt text is kept: clearcopy's copy has no twin.
  return el.getAttribute('aria-hidden') === 'true' && !(el.tagName === 'IMG' && (el.getAttribute('alt') ?? '').trim() !== '');
}

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
    for (const element of bodyElements(document)) {
      if (element.tagName === 'IMG' && element.getAttribute('aria-hidden') === 'true' && !isNeverContent(element)) {
        element.removeAttribute('aria-hidden'); // kept (see isNeverContent): let Readability keep it too
        changed++;
      }
      if (!isNeverContent(element) || !element.isConnected) continue;
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
  run: (document) => removeByName(document, CLUTTER_TOKEN),
};

/**
 * Removes the elements with a class or id token matching `token` (`quick`, when given, a cheap
 * test of the whole class and id first), except one holding the page's article text (a mis-named
 * wrapper). Returns how many went.
 */
function removeByName(document: Document, token: RegExp, quick?: RegExp): number {
  let changed = 0;
  for (const element of bodyElements(document)) {
    if (!element.isConnected || (!element.hasAttribute('class') && !element.id)) continue;
    if (quick && !quick.test(`${classOf(element)} ${element.id}`)) continue;
    if (!clutterTokens(element).some((name) => token.test(name))) continue;
    if (holdsArticleText(element)) continue;
    element.remove();
    changed++;
  }
  return changed;
}

/**
 * Class or id tokens of the box about the author that blogs and magazines put under (or beside)
 * the story: "author-box", "bmg-author-box", "post-author__bio", "author-description",
 * "entry-author-info", "autorenbox", "about-the-author".
 */
const AUTHOR_BOX_TOKEN = /(?:^|[-_])(?:author|autor|autoren|autorin)[-_]?(?:box|bio|biography|info|infos|description|details|profile|card|about|teaser)$|^(?:about|ueber|über)[-_]?(?:the[-_]?|den[-_]?)?(?:author|autor|autorin)$|^post[-_]?author$|^autorenbox$|^authorbox$/i;

/** Removes the author's box (portrait, short bio, "more by") by its class or id: a listener hears the story, not the site's author page. */
const removeAuthorBoxes: PrepareStep = {
  name: 'author-boxes',
  run: (document) => removeByName(document, AUTHOR_BOX_TOKEN, /aut/i),
};

/**
 * Class or id tokens of a teaser card: a link to another story, with its picture and headline
 * ("teaser", "c-teaser", "js-teaser"). ("card" alone is no sign: UI kits class any box a card,
 * the story's too.)
 */
const TEASER_TOKEN = /(?:^|[-_])(?:teaser|teasers)$/i;

/**
 * Removes teaser cards for other stories by their class or id, when they (or cards of the same
 * class) are mostly link text or sit inside a link: German CMSs also class the story's own lede
 * "teaser", which is prose, not links.
 */
const removeTeaserCards: PrepareStep = {
  name: 'teaser-cards',
  run(document) {
    // A link or span inside a sentence (a person's hover card) is the sentence's own word.
    const cards = bodyElements(document).filter((element) => (element.hasAttribute('class') || element.id) &&
      /teaser/i.test(`${classOf(element)} ${element.id}`) && !INLINE_ELEMENT.test(element.tagName) &&
      clutterTokens(element).some((token) => TEASER_TOKEN.test(token)));
    // Cards come in sets of one kind: when one of them is mostly links, all of that kind are cards
    // (some show a summary under the linked headline).
    // A kind is a tag and a class token: a lede <p class="teaser"> is not of the kind of <section class="teaser"> cards.
    const cardTokens = (card: Element) => clutterTokens(card).filter((token) => TEASER_TOKEN.test(token)).map((token) => `${card.tagName} ${token}`);
    const linkedKinds = new Set<string>();
    for (const card of cards) if (card.closest('a') || linkDensity(card) >= 0.5) for (const token of cardTokens(card)) linkedKinds.add(token);
    let changed = 0;
    for (const card of cards) {
      if (!card.isConnected || !cardTokens(card).some((token) => linkedKinds.has(token)) || holdsArticleText(card)) continue;
      card.remove();
      changed++;
    }
    return changed;
  },
};

const RELATED_LABEL = new RegExp(`^(?:${RELATED_PHRASES})`, 'iu');

const LABEL_TAGS = new Set(['H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'STRONG', 'B', 'P', 'SPAN', 'DIV', 'LI', 'DT']);

/** Removes "Also On…", "Related", "More from…", "Recommended", "Read more", "Most popular" blocks, with their label. */
const removeRelatedBlocks: PrepareStep = {
  name: 'related-content',
  run(document) {
    let changed = 0;
    const lengths = textLengths(document);
    const labels = bodyElements(document).filter((el) => {
      if (!LABEL_TAGS.has(el.tagName)) return false;
      // Cheap first: a label's own text is short, so skip elements with long text without collapsing it.
      if ((lengths.get(el) ?? 0) > 400) return false;
      const text = textOf(el);
      return text.length > 0 && text.length < 60 && RELATED_LABEL.test(text) && !el.querySelector('p, li, h2, h3, h4, h5, h6');
    });
    for (const label of labels) {
      if (!label.isConnected) continue;
      if (holdsArticleText(label)) continue;
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

/** Class names and sizes that say an image is the article's own photo (Readability strips classes, so this is judged first). */
const CONTENT_IMAGE_CLASS = /(^|[-_\s])(article|content|lead|hero|featured|wp-image|size-(?:full|large|medium)|story|post|entry)/i;

/**
 * Drops tracking pixels, spacers and 1×1 images before Readability sees them, and marks the
 * article's own photos (`cc-content-image`) so one written with alt="" is kept and flagged as
 * needing a description rather than dropped as decorative.
 */
const removeTrackingImages: PrepareStep = {
  name: 'tracking-pixels',
  run(document) {
    let changed = 0;
    for (const img of [...document.querySelectorAll('img')]) {
      const classes = img.getAttribute('class') ?? '';
      const size = Math.max(Number.parseFloat(img.getAttribute('width') ?? '') || 0, Number.parseFloat(img.getAttribute('height') ?? '') || 0);
      if (!/icon|logo|avatar|emoji|spacer|divider|badge/i.test(classes) && (CONTENT_IMAGE_CLASS.test(classes) || size >= 200 || img.hasAttribute('srcset') || img.hasAttribute('data-srcset') || img.closest('figure, picture'))) {
        img.setAttribute('class', 'cc-content-image');
      }
      const width = Number(img.getAttribute('width'));
      const height = Number(img.getAttribute('height'));
      const src = img.getAttribute('src') ?? '';
      if ((width > 0 && width <= 2) || (height > 0 && height <= 2) || /(pixel|beacon|spacer|blank|tracking|1x1)\.(gif|png)|\/(pixel|beacon|b\/ss|collect)\b/i.test(src)) {
        // A placeholder standing alone in a figure that says what it showed: the picture goes, the
        // figure and its words stay (the figure is kept with its image left out).
        const figure = img.closest('figure');
        if (figure && figure.querySelectorAll('img').length === 1 && ((img.getAttribute('alt') ?? '').trim() || figure.querySelector('figcaption'))) {
          for (const name of ['srcset', 'data-src', 'data-srcset']) img.removeAttribute(name);
          img.setAttribute('src', 'data:,'); // no picture (Readability drops an <img> without a src)
        } else {
          img.remove();
        }
        changed++;
      }
    }
    return changed;
  },
};

const LAZY_SOURCE_ATTRS = ['data-src', 'data-original', 'data-lazy-src', 'data-hi-res-src', 'data-full-src', 'data-url', 'data-image', 'data-img-src', 'data-lazy'];
const IMAGE_URL = /\.(jpe?g|png|gif|webp|avif)(\?|#|$)|\/(images?|img|photos?|media|uploads?|cpsprodpb)\//i;

/**
 * Turns lazy-loading placeholders that are not images at all (`<div data-src="…jpg" data-alt="…">`,
 * filled in by script on the live site) into real `<img>` elements with their alt text, so the
 * image reaches the copy. Lazy `<img>`s (`data-src`, `data-srcset`) are resolved later, per figure.
 */
const lazyImagePlaceholders: PrepareStep = {
  name: 'lazy-image-placeholders',
  run(document) {
    let changed = 0;
    for (const el of bodyElements(document)) {
      if ((el.tagName !== 'DIV' && el.tagName !== 'SPAN') || el.firstElementChild || !LAZY_SOURCE_ATTRS.some((a) => el.hasAttribute(a))) continue;
      if (el.querySelector('img, picture') || textOf(el).length > 0) continue;
      const src = LAZY_SOURCE_ATTRS.map((a) => el.getAttribute(a)).find((v) => v && IMAGE_URL.test(v));
      if (!src) continue;
      const img = document.createElement('img');
      img.setAttribute('src', src);
      const alt = el.getAttribute('data-alt') ?? el.getAttribute('aria-label') ?? el.getAttribute('title');
      if (alt !== null) img.setAttribute('alt', alt);
      for (const [from, to] of [['data-width', 'width'], ['data-height', 'height'], ['data-srcset', 'srcset']] as const) {
        const value = el.getAttribute(from);
        if (value) img.setAttribute(to, value);
      }
      el.replaceWith(img);
      changed++;
    }
    return changed;
  },
};

/** Class tokens of pop-ups shown on hover (author cards, link previews, tooltips): hidden text that is never part of the sentence it sits in. */
const POPUP_TOKEN = /^(tooltip|popover|hovercard|hover-card|flyout)([-_].*)?$|^(rollover|popup|pop-up)[-_].*(block|card|content|panel|body|box|inner|wrapper)$/i;

/** Removes hover cards, tooltips and pop-overs nested in the text (their words would be glued into the sentence). */
const removePopups: PrepareStep = {
  name: 'hover-popups',
  run(document) {
    let changed = 0;
    for (const el of bodyElements(document)) {
      if (!el.isConnected || !/pop|tip|hover|rollover|flyout/i.test(classOf(el)) || !classOf(el).split(/\s+/).some((token) => POPUP_TOKEN.test(token))) continue;
      if (holdsArticleText(el)) continue;
      el.remove();
      changed++;
    }
    return changed;
  },
};

/** Visually hidden labels ("Image copyright", "Image caption") that a figure's markup spells out for screen readers. */
const HIDDEN_LABEL = '.off-screen, .offscreen, .sr-only, .visually-hidden, .visuallyhidden, .screen-reader-text, .screen-reader-only, .element-invisible, .u-hidden-visually, .hidden-visually, .a11y-hidden';
const CAPTION_MARK = /(^|[-_\s])(caption|captions|legend|cutline|figcaption|wp-caption-text|image-?caption|photo-?caption|media-?caption|caption-?text)([-_\s]|$)/i;
const CREDIT_MARK = /(^|[-_\s])(credit|credits|photo-?credit|image-?credit|copyright|image-?copyright|photographer|image-?source|photo-?source)([-_\s]|$)/i;

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
    // A caption or credit element (by class, or named by an image's aria-describedby) beside one
    // image: the smallest container holding both becomes the figure.
    const elements = bodyElements(document);
    const described = elements.filter((el) => el.tagName === 'IMG' && el.hasAttribute('aria-describedby')).flatMap((img) => (img.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => (id ? document.getElementById(id) : null))).filter((el): el is HTMLElement => el !== null);
    const marked = elements.filter((el) => CAPTION_MARK.test(classOf(el)) || CREDIT_MARK.test(classOf(el)));
    for (const caption of [...described, ...marked]) {
      if (!caption.isConnected || caption.closest('figure') || caption.querySelector('img') || textOf(caption).length > 400) continue;
      if (/author|byline|avatar|profile|bio/i.test(classOf(caption))) continue; // an author card's "credit" line is no photo credit
      let box: Element | null = caption.parentElement;
      for (let depth = 0; box && depth < 3 && !/^(BODY|MAIN|ARTICLE|HTML)$/.test(box.tagName); depth++, box = box.parentElement) {
        const images = [...box.querySelectorAll('img, [data-src]')].filter((img) => !img.closest('noscript') && (img.tagName === 'IMG' || !img.querySelector('img')));
        if (images.length === 0) continue;
        if (images.length > 1 || textOf(box).length > 600 || box.querySelector('p + p, h1, h2, h3, ul, ol, table')) break;
        if (isSmallOrPortrait(images[0]!)) break; // an avatar or icon beside a name is no captioned photo
        const figure = document.createElement('figure');
        while (box.firstChild) figure.append(box.firstChild);
        box.replaceWith(figure);
        if (CAPTION_MARK.test(caption.getAttribute('class') ?? '') || described.includes(caption as HTMLElement)) caption.replaceWith(toFigcaption(document, caption));
        changed++;
        break;
      }
    }
    // WordPress: <div class="wp-caption"><img><p class="wp-caption-text">…</p></div>, and similar.
    const boxes = elements.filter((el) => el.isConnected && el.tagName !== 'FIGURE' && /(^|\s)wp-caption(\s|$)|image-container|img-container|photo-container|figure/.test(classOf(el)));
    for (const box of boxes) {
      const images = [...box.querySelectorAll('img')].filter((img) => !img.closest('noscript'));
      if (box.tagName === 'FIGURE' || images.length !== 1) continue;
      if (textOf(box).length > 600) continue;
      const figure = document.createElement('figure');
      while (box.firstChild) figure.append(box.firstChild);
      box.replaceWith(figure);
      changed++;
    }
    for (const figure of [...document.querySelectorAll('figure')]) {
      for (const label of [...figure.querySelectorAll(HIDDEN_LABEL)]) {
        if (textOf(label).length <= 40) {
          label.remove();
          changed++;
        }
      }
      const caption = figure.querySelector('figcaption') ?? [...figure.querySelectorAll('*')].find((el) => CAPTION_CLASS.test(el.getAttribute('class') ?? '') && !el.querySelector('img'));
      if (caption && caption.tagName !== 'FIGCAPTION') {
        caption.replaceWith(toFigcaption(document, caption));
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

/**
 * A `<figcaption>` holding the caption's content in a `<p>`. The paragraph matters to Readability:
 * it drops a list or block whose images outnumber its paragraphs two to one (unless it is inside a
 * figure), so a caption paragraph turned into a bare figcaption would lose a list of captioned
 * screenshots that the page itself, with its caption paragraphs, keeps.
 */
function toFigcaption(document: Document, caption: Element): HTMLElement {
  const figcaption = document.createElement('figcaption');
  const paragraph = document.createElement('p');
  while (caption.firstChild) paragraph.append(caption.firstChild);
  figcaption.append(paragraph);
  return figcaption;
}

const DEK_CLASS = /(^|[-_\s])(dek|deck|standfirst|subtitle|sub-?title|subhead|sub-?headline|strapline|summary|intro|abstract|excerpt|lead|lede)([-_\s]|$)/i;

/** An author line ("von Daniel Braun", "By Jane Roe"), which an "intro" box sometimes holds. */
const BYLINE_START = /^(by|von|par|por|door|di|przez|av|af)\s+\p{Lu}[^.!?]{0,80}$/u;

/** Finds the headline and the sub-headline next to it; removes the dek from the page so the body does not repeat it. */
const headlineAndDek: PrepareStep = {
  name: 'headline-and-dek',
  run(document, context) {
    const h1s = [...document.querySelectorAll('h1')].filter((h) => textOf(h).length > 0);
    if (h1s.length === 1) context.headline = textOf(h1s[0]);
    const description = context.description ? textOf({ textContent: context.description } as Node) : undefined;
    const fits = (el: Element) => {
      const text = textOf(el);
      return text.length >= 10 && text.length <= 320 && !el.querySelector('p + p, h1, h2, img, ul, ol, figure, video, audio, picture') && !el.closest('figure');
    };
    // By name: a class or id such as "dek", "standfirst", "subtitle" (cheap attribute test first).
    const elements = bodyElements(document);
    const byName = elements.filter((el) =>
      DEK_CLASS.test(`${classOf(el)} ${el.id}`) && !/byline|author/i.test(classOf(el)) && !BYLINE_START.test(textOf(el)) && fits(el) && !isLede(el));
    // By words: the element whose whole text is the page's meta description, found from its text
    // nodes upwards (never by measuring every element's text). A paragraph followed by more
    // paragraphs is the story's lede, which sites often reuse as the description: it stays.
    const byWords: Element[] = [];
    if (description && description.length >= 10 && document.body && textOf(document.body).includes(description)) {
      const lengths = textLengths(document);
      for (const el of elements) {
        const length = lengths.get(el) ?? 0;
        if (length < description.length || length > 2 * description.length + 40) continue;
        if (textOf(el) !== description || el.querySelector('*:not(a, em, strong, i, b, span)') || !fits(el) || isLede(el)) continue;
        if (byWords.some((found) => found.contains(el))) continue;
        byWords.push(el);
      }
    }
    const candidates = [...byWords, ...byName].sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
    // The headlines a dek sits under: every h1 or h2 the page is titled with (a hidden
    // "Navigation" h1 or the site's name is not one; some sites show the story's headline as an
    // h2), else the page's one h1.
    const title = titleWords(document);
    const headlines = [
      ...[...document.getElementsByTagName('h1')].filter((h) => headsPage(textOf(h), title)),
      // An h2 only with most of the title's words: "The New York Times" in an h2 is the site's name.
      ...[...document.getElementsByTagName('h2')].filter((h) => headsPage(textOf(h), title) && titleShare(textOf(h), title) >= 0.6),
    ];
    const h1 = headlines[0] ?? h1s[0];
    if (headlines.length === 0 && h1s.length === 1) headlines.push(h1s[0]!);
    // "Near" = within 40 elements after, in document order (positions from the static list, no tree walking).
    const position = new Map(elements.map((el, index) => [el, index] as const));
    const near = (from: Element, to: Element) => {
      const a = position.get(from);
      const b = position.get(to);
      return a !== undefined && b !== undefined && b > a && b - a <= 40;
    };
    const bylineElement = elements.filter((el) => /byline|author/i.test(classOf(el)) || /byline/i.test(el.id) || ((el.tagName === 'A' || el.tagName === 'LINK') && /(^|\s)author(\s|$)/i.test(el.getAttribute('rel') ?? '')) || /(^|\s)author(\s|$)/i.test(el.getAttribute('itemprop') ?? ''))
      .find((el) => (!h1 || near(h1, el) || near(el, h1)) && !el.closest('figure, footer, aside, .comments, #comments') && textOf(el).length > 2 && textOf(el).length < 100);
    if (bylineElement) {
      const name = bylineElement.querySelector('[itemprop~="name"], [rel~="author"], a') ?? bylineElement;
      context.byline = textOf(name).replace(/^(by|von|par|por|door|di)\s+/i, '');
    }
    const dek = candidates.find((el) => !h1 || headlines.some((headline) => near(headline, el))) ?? (h1 ? undefined : candidates[0]);
    if (!dek) return 0;
    context.dek = textOf(dek);
    dek.remove();
    return 1;
  },
};

/** The classes of a post embedded as a quotation (Twitter/X, Instagram, TikTok, Bluesky, Threads, Reddit, Mastodon). */
const EMBEDDED_POST = /(^|\s)(twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|text-post-media|reddit-embed-bq|mastodon-embed)(\s|$)/;

/** Splits a paragraph into one paragraph per run of text between two or more <br>s. */
function splitAtDoubleBreaks(paragraph: Element): void {
  const isBreak = (node: Node | null) => node?.nodeType === 1 && (node as Element).tagName === 'BR';
  const blank = (node: Node | null) => node?.nodeType === 3 && !(node.nodeValue ?? '').trim();
  const parts: Node[][] = [[]];
  for (let node = paragraph.firstChild; node; node = node.nextSibling) {
    let next = node.nextSibling;
    while (blank(next)) next = next!.nextSibling;
    if (isBreak(node) && isBreak(next)) {
      parts.push([]);
      node = next!;
      // Any further breaks of the run.
      while (isBreak(node.nextSibling) || (blank(node.nextSibling) && isBreak(node.nextSibling!.nextSibling))) node = node.nextSibling!;
      continue;
    }
    parts.at(-1)!.push(node);
  }
  if (parts.length < 2) return;
  const paragraphs = parts.filter((nodes) => nodes.some((node) => !blank(node))).map((nodes) => {
    const part = paragraph.cloneNode(false) as Element;
    part.append(...nodes);
    return part;
  });
  paragraph.replaceWith(...paragraphs);
}

/** The element's one element child, not counting scripts (an embed's loader sits beside it). */
function onlyElementChild(parent: Element): Element | undefined {
  let only: Element | undefined;
  for (let child = parent.firstElementChild; child; child = child.nextElementSibling) {
    if (child.tagName === 'SCRIPT' || child.tagName === 'NOSCRIPT') continue;
    if (only) return undefined;
    only = child;
  }
  return only;
}

/**
 * Protects content Readability would drop by its names: heading ids that are only slugs of their
 * own text (e.g. "setting-headers-per-file-type" contains "header"), empty anchor links inside
 * headings, an embedded post (a quoted tweet) inside a "social" wrapper, and the `<footer>` that
 * names a quotation's source (Readability removes every footer).
 */
const protectContent: PrepareStep = {
  name: 'protect-content',
  run(document) {
    let changed = 0;
    const slug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
    // One tag at a time: a selector list costs jsdom's engine ten times more, and order does not matter here.
    for (const heading of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].flatMap((tag) => [...document.getElementsByTagName(tag)])) {
      for (const anchor of [...heading.querySelectorAll('a')]) {
        // An empty permalink anchor ("#", "¶") goes; one around an image is the image's link.
        if (!textOf(anchor).replace(/[\u200b#¶§🔗]/gu, '').trim() && !anchor.querySelector('img, picture')) {
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
    // An embedded post (a tweet quoted in the story) sits in a wrapper named "social" or "embed",
    // which Readability and the clutter step remove with the share bars: lift it out of the wrapper.
    for (const quote of document.getElementsByTagName('blockquote')) {
      if (!EMBEDDED_POST.test(classOf(quote))) continue;
      // Readability turns a paragraph with a double <br> into a <div>, and drops that as "a little
      // linky" when the post ends with its link: the post's paragraphs are split there instead.
      for (const paragraph of [...quote.getElementsByTagName('p')]) splitAtDoubleBreaks(paragraph);
      let wrapper: Element = quote;
      while (wrapper.parentElement && wrapper.parentElement !== document.body && onlyElementChild(wrapper.parentElement) === wrapper) wrapper = wrapper.parentElement;
      if (wrapper === quote) continue;
      wrapper.replaceWith(quote);
      changed++;
    }
    // (Looked up per quotation: a descendant selector over the whole page costs far more.)
    for (const footer of [...document.getElementsByTagName('blockquote')].flatMap((quote) => [...quote.querySelectorAll('footer, header')])) {
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
  otherStories,
  headlineAndDek,
  protectContent,
  lazyImagePlaceholders,
  normaliseFigures,
  removeTrackingImages,
  leadFigure,
  removeNonContent,
  removeRelatedBlocks,
  removeClutterByName,
  removeAuthorBoxes,
  removeTeaserCards,
  removePopups,
  bodySections,
];

/** Runs the steps in order on the document. */
export function prepareDocument(document: Document, steps: readonly PrepareStep[] = PREPARE_STEPS, description?: string): PrepareContext {
  const context: PrepareContext = { applied: [], ...(description ? { description } : {}) };
  for (const step of steps) if (step.run(document, context) > 0) context.applied.push(step.name);
  return context;
}

// ——— helpers ———

/**
 * The body's elements in document order, as a static array. Steps filter this array with plain
 * attribute and tag tests: jsdom's selector engine costs tens of milliseconds per complex
 * selector on a large page, a walk over this array almost nothing.
 */
function bodyElements(document: Document): Element[] {
  // A walk over firstElementChild/nextElementSibling: a third cheaper than spreading
  // querySelectorAll('*') (jsdom's NodeList answers each index through a Proxy).
  const elements: Element[] = [];
  const visit = (parent: Element) => {
    for (let child = parent.firstElementChild; child; child = child.nextElementSibling) {
      elements.push(child);
      visit(child);
    }
  };
  if (document.body) visit(document.body);
  return elements;
}

// getAttributeNS skips getAttribute's lower-casing of the name: half the cost, asked of every element.
const classOf = (el: Element) => el.getAttributeNS(null, 'class') ?? '';

/**
 * The length of every body element's `textContent`, from one walk over the tree (asking each
 * element for its text walks its subtree again, for every element).
 */
function textLengths(document: Document): Map<Element, number> {
  const lengths = new Map<Element, number>();
  const visit = (node: Node): number => {
    let length = 0;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1) {
        const own = visit(child);
        lengths.set(child as Element, own);
        length += own;
      } else if (child.nodeType === 3 || child.nodeType === 4) {
        length += (child as CharacterData).data.length;
      }
    }
    return length;
  };
  if (document.body) visit(document.body);
  return lengths;
}

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

/** Body prose per document, measured once (before any step removes anything). */
const bodyProse = new WeakMap<Document, number>();

/**
 * True when removing the element would take article text with it: it holds more than 400
 * characters of prose and more than a fifth of the page's. Every removal step checks this, so a
 * mis-named wrapper ("related-content" around the story) never takes the story with it.
 */
export function holdsArticleText(element: Element): boolean {
  const doc = element.ownerDocument;
  let total = bodyProse.get(doc);
  if (total === undefined) {
    total = doc.body ? proseLength(doc.body) : 0;
    bodyProse.set(doc, total);
  }
  const prose = proseLength(element);
  return prose > 400 && prose > 0.2 * total;
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

/** Characters of the element's text outside links. */
function unlinkedLength(element: Element): number {
  let linked = 0;
  for (const a of element.querySelectorAll('a')) linked += textOf(a).length;
  return textOf(element).length - linked;
}

/** Climbs from a label to the largest ancestor that holds no article paragraph of its own. */
function climbToBlockContainer(label: Element): Element {
  let container = label;
  for (;;) {
    const parent = container.parentElement;
    if (!parent || /^(BODY|HTML|MAIN|ARTICLE)$/.test(parent.tagName)) return container;
    const ownParagraphs = [...parent.querySelectorAll('p')].filter((p) => !container.contains(p) && textOf(p).length > 120 && linkDensity(p) < 0.3);
    if (ownParagraphs.length > 0 || holdsArticleText(parent)) return container;
    // Text outside links before the block (a photo post's short captions, a list of steps): the
    // story, which the block follows. (Text after it is a footer's, which may go with it.)
    let before = 0;
    for (let child = parent.firstElementChild; child && !child.contains(container); child = child.nextElementSibling) before += unlinkedLength(child);
    if (before > 200) return container;
    container = parent;
  }
}

/** An icon, logo or author's portrait: small (under 100 px) or so named. */
function isSmallOrPortrait(img: Element): boolean {
  const size = (name: string) => Number.parseFloat(img.getAttribute(name) ?? '') || 0;
  const width = size('width');
  const height = size('height');
  return (width > 0 && width < 100) || (height > 0 && height < 100) || /avatar|icon|logo|author|profile|headshot|mugshot/i.test(`${classOf(img)} ${classOf(img.parentElement!)}`);
}

/** A paragraph with more paragraphs of prose after it: the opening of the story, not a dek. */
function isLede(element: Element): boolean {
  if (element.tagName !== 'P') return false;
  for (let next = element.nextElementSibling, i = 0; next && i < 4; next = next.nextElementSibling, i++) {
    if (next.tagName === 'P' && textOf(next).length > 100) return true;
  }
  return false;
}
