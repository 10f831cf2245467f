// Pages that are not articles, told apart from articles so they are refused with a reason instead
// of becoming "copies": framesets, login and sign-up pages, redirect stubs, and listings of links
// with no body text. Each judge returns the reason as words for the one-line refusal.
import type { Block } from '../model/document.js';
import { forEachBlock } from '../model/text.js';
import type { Inline } from '../model/document.js';

/** Words in a title or main heading that name an account page. */
const ACCOUNT_WORDS = /\b(sign[ -]?in|log[ -]?in|sign[ -]?up|register|registration|create (?:an |your |a free )?account|join (?:us|now|today|the)|subscribe to continue|forgot(?:ten)? (?:your )?password|reset (?:your )?password)\b/i;
/** Words of a page that says it has moved. */
const MOVED_WORDS = /\b(redirect(?:ing|ed)?|has moved|moved permanently|page (?:has )?moved|you (?:are being|will be) redirected|click here if|if you are not redirected)\b/i;

/** Elements whose text is not the page's text: form controls, navigation, headers, footers, code. */
const NOT_PAGE_TEXT = new Set(['input', 'select', 'textarea', 'button', 'label', 'nav', 'header', 'footer', 'script', 'style', 'noscript', 'template']);
const NOT_PAGE_TEXT_ROLES = new Set(['navigation', 'banner', 'contentinfo']);

/**
 * Length of the page's text outside form controls, navigation, headers and footers: what a reader
 * would call its text, whitespace collapsed. (Forms stay: some sites wrap the whole page in one,
 * ASP.NET's for one.) A walk over firstChild/nextSibling: cloning the body to cut those parts out
 * cost more than Readability's own parse on large pages.
 */
function mainTextLength(document: Document): number {
  if (!document.body) return 0;
  const parts: string[] = [];
  const visit = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) parts.push(child.nodeValue ?? '');
      else if (child.nodeType === 1) {
        const el = child as Element;
        if (NOT_PAGE_TEXT.has(el.localName) || NOT_PAGE_TEXT_ROLES.has(el.getAttribute('role') ?? '')) continue;
        visit(el);
      }
    }
  };
  visit(document.body);
  return parts.join('').replace(/\s+/g, ' ').trim().length;
}

/**
 * Judges a page before extraction: a frameset, a redirect stub (a refresh to another address, or a
 * page that only says it moved) or a login / sign-up page (a password or account form, and little
 * text besides it). Returns the reason in words (`a login page`), or undefined for anything else.
 */
export function notAnArticle(document: Document, pageUrl?: string): string | undefined {
  if (document.querySelector('frameset') && !document.body?.textContent?.trim()) return 'a frameset (its pages are separate documents: copy them one by one)';
  let textLength: number | undefined;
  const mainText = () => (textLength ??= mainTextLength(document));
  const redirect = redirectTarget(document, pageUrl);
  if (redirect !== undefined && mainText() < 600) return redirect ? `a redirect stub to ${redirect}` : 'a redirect stub';
  const title = `${document.title} ${document.querySelector('h1')?.textContent ?? ''}`;
  if (MOVED_WORDS.test(document.title) && mainText() < 300) return 'a redirect stub';
  const forms = [...document.querySelectorAll('form')];
  // A password field in the page's own content (a login box in the header or a sidebar is not the page).
  const password = forms.some((form) => form.querySelector('input[type=password i]') && !form.closest('header, nav, aside, footer, [role=banner], [role=navigation], [role=complementary], [role=contentinfo]'));
  const accountForm = password || (ACCOUNT_WORDS.test(title) && forms.some((form) => form.querySelector('input[type=email i], input[name*=mail i], input[name*=user i]')));
  if (accountForm && mainText() < 1200 && (password ? true : ACCOUNT_WORDS.test(title))) {
    return /\b(sign[ -]?up|register|registration|create|join)\b/i.test(title) ? 'a sign-up page' : 'a login page';
  }
  if (mainIsListing(document)) return LISTING;
  return undefined;
}

/** The reason given for a listing page. */
export const LISTING = 'a listing of links with no body text (an index or section page)';

/**
 * True when the page's main content (`<main>`, `role=main`, else the body without its header,
 * navigation, asides and footer) is a list of links: five or more, no paragraph with 80 characters
 * of text outside links, and under 250 such characters in all.
 * (Readability, given such a page, takes whatever text it finds elsewhere, often the footer.)
 */
function mainIsListing(document: Document): boolean {
  const main = mainElement(document) ?? document.body;
  if (!main) return false;
  let links = 0;
  let longBlock = false;
  // Own text (outside links) of a node's subtree, leaving out what is not the main content; counts
  // links and notes a block with 80 characters of its own on the way.
  const ownText = (node: Node, inLink: boolean): number => {
    let total = 0;
    for (let child = node.firstChild; child && !longBlock; child = child.nextSibling) {
      if (child.nodeType === 3) {
        if (!inLink) total += (child.nodeValue ?? '').replace(/\s+/g, ' ').trim().length;
      } else if (child.nodeType === 1) {
        const el = child as Element;
        if (notMainContent(el)) continue;
        const link = el.localName === 'a' && el.hasAttribute('href');
        if (link) links++;
        const own = ownText(el, inLink || el.localName === 'a');
        if (own >= 80 && PROSE_BLOCKS.has(el.localName)) longBlock = true;
        total += own;
      }
    }
    return total;
  };
  const total = ownText(main, false);
  return !longBlock && links >= 5 && total < 250;
}

/** The first `<main>` or `role=main` element (found by a walk: jsdom's engine tests an attribute selector slowly). */
function mainElement(document: Document): Element | undefined {
  const visit = (parent: Element): Element | undefined => {
    for (let child = parent.firstElementChild; child; child = child.nextElementSibling) {
      if (child.localName === 'main' || child.getAttributeNS(null, 'role') === 'main') return child;
      const found = visit(child);
      if (found) return found;
    }
    return undefined;
  };
  return document.documentElement ? visit(document.documentElement) : undefined;
}

/** Blocks whose own text of 80 characters or more says the page has prose. */
const PROSE_BLOCKS = new Set(['p', 'blockquote', 'pre', 'td']);
const NOT_MAIN_CONTENT = new Set(['script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'input', 'select', 'textarea', 'button']);
const NOT_MAIN_CONTENT_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary']);
function notMainContent(el: Element): boolean {
  return NOT_MAIN_CONTENT.has(el.localName) || NOT_MAIN_CONTENT_ROLES.has(el.getAttribute('role') ?? '') || el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true';
}

/**
 * Where a page sends its reader at once: the URL of a `<meta http-equiv="refresh">` with a delay
 * of 10 seconds or less (`''` when it names none). Undefined when the page does not redirect.
 */
export function redirectTarget(document: Document, pageUrl?: string): string | undefined {
  for (const meta of document.querySelectorAll('meta[http-equiv]')) {
    if (meta.getAttribute('http-equiv')?.toLowerCase() !== 'refresh') continue;
    const match = /^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*(?:url\s*=\s*)?['"]?([^'"]*)['"]?\s*$/i.exec(meta.getAttribute('content') ?? '');
    if (!match || Number(match[1] ?? 0) > 10) continue;
    const target = match[2]?.trim();
    if (!target) return '';
    try {
      return new URL(target, pageUrl).href;
    } catch {
      return target;
    }
  }
  return undefined;
}

/**
 * True for what Readability took from a listing (a section front, a tag page, search results):
 * headings or list items with five links or more, and no paragraph with 80 characters of text
 * outside links, under 400 in all.
 */
export function isLinkListing(blocks: readonly Block[]): boolean {
  let entries = 0;
  let links = 0;
  let longest = 0;
  let ownText = 0;
  let prose = false;
  forEachBlock(blocks, (block) => {
    if (block.kind === 'heading') entries++;
    else if (block.kind === 'list') entries += block.items.length;
    else if (block.kind === 'paragraph') {
      const counted = countText(block.content);
      links += counted.links;
      ownText += counted.own;
      longest = Math.max(longest, counted.own);
    } else if (block.kind === 'code' || block.kind === 'quote' || block.kind === 'table' || block.kind === 'figure') {
      prose = true; // code, quotes, tables and pictures are content of their own
    }
  });
  return !prose && links >= 5 && entries >= 1 && longest < 80 && ownText < 400;
}

function countText(nodes: Inline): { links: number; own: number } {
  let links = 0;
  let own = 0;
  const walk = (list: Inline, inLink: boolean) => {
    for (const node of list) {
      if (node.type === 'text') {
        if (!inLink) own += node.value.replace(/\s+/g, ' ').trim().length;
      } else if (node.type === 'element') {
        const isLink = node.tagName === 'a';
        if (isLink) links++;
        walk(node.children as Inline, inLink || isLink);
      }
    }
  };
  walk(nodes, false);
  return { links, own };
}
