import { JSDOM, VirtualConsole } from 'jsdom';

/**
 * Parses HTML into a jsdom document with scripts off and no sub-resources loaded. Nesting deeper
 * than {@link MAX_NESTING_DEPTH} is flattened first (see {@link flattenDeepNesting}).
 *
 * The document is made by the window's DOMParser: it has the page's URL but no browsing context
 * of its own, so jsdom neither builds a window for each `<iframe>` (a whole global object apiece,
 * a fifth of the parse on pages full of embeds) nor parses the page's stylesheets, none of which
 * extraction needs. (A stylesheet jsdom's CSS parser would throw on, such as SCSS left in a
 * `calc()`, can then not make extraction fail either; should parsing still throw, the page is
 * parsed again with its `<style>` contents blanked.) Close the window with {@link closeDocument}.
 */
export function parseHtml(html: string, url?: string): Document {
  html = flattenDeepNesting(html).html;
  const virtualConsole = new VirtualConsole(); // swallow jsdom's parse warnings
  const window = new JSDOM('', { url: safeDocumentUrl(url), virtualConsole }).window;
  let document: Document;
  try {
    document = new window.DOMParser().parseFromString(html, 'text/html');
  } catch {
    document = new window.DOMParser().parseFromString(blankStyleElements(html), 'text/html');
  }
  WINDOWS.set(document, window);
  return document;
}

/** The window whose DOMParser made each parsed document. */
const WINDOWS = new WeakMap<Document, { close(): void }>();

/** Closes the window a document from {@link parseHtml} was made in: its memory can go at once. */
export function closeDocument(document: Document): void {
  WINDOWS.get(document)?.close();
  WINDOWS.delete(document);
}

/** jsdom needs an absolute http(s)/file URL; anything else falls back to about:blank. */
function safeDocumentUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'file:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function blankStyleElements(html: string): string {
  return html.replace(/(<style\b[^>]*>)[\s\S]*?(<\/style\s*>)/gi, '$1$2');
}

/** Whitespace-collapsed text of a node. */
export function textOf(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Deepest element nesting kept as it is. Deeper wrappers are flattened before parsing: jsdom's
 * tree building slows down with the cube of the depth (1,000 levels: 0.6 s; 2,000: 5 s; 5,000:
 * 26 s; 50,000: over 12 minutes), and so does Readability's clean-up of nested wrappers (5,000
 * wrappers cut to 256 levels still took 3-10 s; cut to 128, 1-3 s on a busy 2-core machine).
 * The real pages of the conformance corpus nest at most 36 levels; Chromium's parser stops at 512.
 */
export const MAX_NESTING_DEPTH = 128;

/** Content elements (paragraphs, headings, list items, tables…) may nest this much deeper than wrappers before they are flattened too. */
const CONTENT_HEADROOM = 32;

/** What {@link flattenDeepNesting} found and did. */
export interface NestingScan {
  /** The HTML to parse: the input itself when nothing was flattened. */
  html: string;
  /** Start tags in the page (an estimate of its element count, before parsing). */
  elements: number;
  /** Deepest nesting of the input, as the tag structure gives it (an estimate: implied end tags are approximated). */
  maxDepth: number;
  /** Start tags removed (with their end tags) to keep the nesting within the limit. */
  flattened: number;
}

const VOID_ELEMENTS = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose content is text up to their end tag (scripting is off in jsdom, so `noscript` is not one). */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'textarea', 'title']);
/** Elements that never count towards depth (the parser places them itself). */
const ROOT_ELEMENTS = new Set(['html', 'head', 'body']);
/** Start tags that close an open `<p>`. */
const CLOSES_P = new Set(['address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'dd', 'dt', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul', 'xmp', 'plaintext']);
/** Elements that carry the article's structure: kept CONTENT_HEADROOM levels deeper than mere wrappers. */
const CONTENT_ELEMENTS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'pre', 'blockquote', 'figure', 'figcaption', 'picture', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'a', 'em', 'strong', 'code', 'q', 'sub', 'sup', 'time', 'svg', 'math']);
/** Phrasing elements: removing their tags joins nothing that was apart. Other removed tags leave a space. */
const PHRASING_ELEMENTS = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var']);
/** How far down the open elements an end tag looks for its start tag (the parser stops at scope boundaries too). */
const END_TAG_SEARCH = 1024;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

const rawTextEnds = new Map<string, RegExp>();

/**
 * Flattens nesting deeper than `maxDepth` in one linear pass over the HTML's tags, before any
 * parser sees it: wrapper start tags (`div`, `span`, `section`, unknown elements…) below that depth
 * are removed with their end tags, content elements (`p`, headings, lists, tables, links…) are kept
 * {@link CONTENT_HEADROOM} levels deeper, and all text stays. A removed block-level tag leaves a
 * space so words stay apart. The scan follows the HTML tokenizer for comments, raw-text elements
 * and quoted attributes, and approximates the tree builder's implied end tags (`p`, `li`, `dt`/`dd`,
 * table cells and rows, `option`); pages within the limit come back unchanged.
 */
export function flattenDeepNesting(html: string, maxDepth = MAX_NESTING_DEPTH): NestingScan {
  const names: string[] = []; // open elements, kept or removed
  const removed: boolean[] = [];
  const open = new Map<string, number>(); // open elements by name, to skip searches for implied end tags
  let depth = 0; // kept open elements: the depth the parser will build
  let deepest = 0;
  let elements = 0;
  let flattened = 0;
  let foreign = 0; // open svg/math elements
  const cuts: number[] = []; // start, end pairs of removed tags
  const spaces: boolean[] = [];

  const push = (name: string, drop: boolean) => {
    names.push(name);
    removed.push(drop);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (!drop) {
      depth++;
      if (name === 'svg' || name === 'math') foreign++;
    }
  };
  const pop = (): { name: string; dropped: boolean } => {
    const name = names.pop()!;
    const dropped = removed.pop()!;
    open.set(name, open.get(name)! - 1);
    if (!dropped) {
      depth--;
      if (name === 'svg' || name === 'math') foreign--;
    }
    return { name, dropped };
  };
  /** Index of the nearest open element named in `targets`, not looking past one named in `stops`. */
  const nearest = (targets: ReadonlySet<string> | string, stops?: ReadonlySet<string>): number => {
    const limit = Math.max(0, names.length - END_TAG_SEARCH);
    for (let k = names.length - 1; k >= limit; k--) {
      const name = names[k]!;
      if (typeof targets === 'string' ? name === targets : targets.has(name)) return k;
      if (stops?.has(name)) return -1;
    }
    return -1;
  };
  const popTo = (index: number) => {
    while (names.length > index) pop();
  };
  const closeNearest = (targets: ReadonlySet<string>, stops: ReadonlySet<string>) => {
    let any = false;
    for (const t of targets) if (open.get(t)) any = true;
    if (!any) return;
    const index = nearest(targets, stops);
    if (index >= 0) popTo(index);
  };
  const cut = (start: number, end: number, name: string) => {
    cuts.push(start, end);
    spaces.push(!PHRASING_ELEMENTS.has(name));
  };

  const n = html.length;
  let i = 0;
  scan: while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const start = lt;
    const c = html.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (html.startsWith('<!--', lt)) {
        if (html.startsWith('<!-->', lt)) { i = lt + 5; continue; }
        if (html.startsWith('<!--->', lt)) { i = lt + 6; continue; }
        const end = html.indexOf('-->', lt + 4);
        const bang = html.indexOf('--!>', lt + 4);
        const close = end < 0 ? bang : bang < 0 ? end : Math.min(end, bang);
        if (close < 0) break;
        i = close + (close === bang ? 4 : 3);
        continue;
      }
      if (foreign > 0 && html.startsWith('<![CDATA[', lt)) {
        const end = html.indexOf(']]>', lt + 9);
        if (end < 0) break;
        i = end + 3;
        continue;
      }
      const end = html.indexOf('>', lt + 2); // doctype or bogus comment
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (c === 0x3f /* ? */) {
      const end = html.indexOf('>', lt + 2);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    const endTag = c === 0x2f; /* / */
    const nameStart = endTag ? lt + 2 : lt + 1;
    if (nameStart >= n) break;
    if (!isAsciiAlpha(html.charCodeAt(nameStart))) {
      if (!endTag) { i = lt + 1; continue; } // a "<" in text
      if (html.charCodeAt(nameStart) === 0x3e) { i = nameStart + 1; continue; } // "</>"
      const end = html.indexOf('>', nameStart); // bogus comment
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    // Tag name, then attributes (quoted values may hold ">").
    let j = nameStart + 1;
    while (j < n) {
      const d = html.charCodeAt(j);
      if (isSpace(d) || d === 0x2f || d === 0x3e) break;
      j++;
    }
    const name = html.slice(nameStart, j).toLowerCase();
    let selfClosing = false;
    for (;;) {
      if (j >= n) break scan; // end of file inside a tag: the tokenizer drops it
      const d = html.charCodeAt(j);
      if (d === 0x3e) { j++; break; }
      if (isSpace(d)) { j++; continue; }
      if (d === 0x2f) {
        if (html.charCodeAt(j + 1) === 0x3e) { selfClosing = true; j += 2; break; }
        j++;
        continue;
      }
      j++; // attribute name (its first character may be "=")
      while (j < n) {
        const e = html.charCodeAt(j);
        if (isSpace(e) || e === 0x2f || e === 0x3e || e === 0x3d) break;
        j++;
      }
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      if (html.charCodeAt(j) !== 0x3d) continue;
      j++;
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      const q = html.charCodeAt(j);
      if (q === 0x22 || q === 0x27) {
        const close = html.indexOf(q === 0x22 ? '"' : "'", j + 1);
        if (close < 0) break scan;
        j = close + 1;
      } else {
        while (j < n) {
          const e = html.charCodeAt(j);
          if (isSpace(e) || e === 0x3e) break;
          j++;
        }
      }
    }
    i = j;

    if (endTag) {
      if (ROOT_ELEMENTS.has(name) || !open.get(name)) continue;
      const index = nearest(name);
      if (index < 0) continue;
      while (names.length > index + 1) pop();
      if (pop().dropped) cut(start, j, name);
      continue;
    }

    elements++;
    if (ROOT_ELEMENTS.has(name)) continue;
    if (name === 'plaintext') break; // the rest of the page is text
    // Implied end tags, approximately as the tree builder has them.
    if (CLOSES_P.has(name) && open.get('p')) {
      const index = nearest('p', BUTTON_SCOPE);
      if (index >= 0) popTo(index);
    }
    if (name === 'li') closeNearest(LI, LIST_SCOPE);
    else if (name === 'dt' || name === 'dd') closeNearest(DT_DD, DL_SCOPE);
    else if (name === 'td' || name === 'th') closeNearest(CELLS, TABLE_SCOPE);
    else if (name === 'tr') closeNearest(ROWS, TABLE_SCOPE);
    else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
      closeNearest(ROWS, TABLE_SCOPE);
      closeNearest(SECTIONS, TABLE_SCOPE);
    }
    else if (name === 'option' || name === 'optgroup') closeNearest(name === 'option' ? OPTION : OPTIONS, SELECT_SCOPE);

    const leaf = VOID_ELEMENTS.has(name) || (selfClosing && foreign > 0);
    const limit = CONTENT_ELEMENTS.has(name) ? maxDepth + CONTENT_HEADROOM : maxDepth;
    const drop = !leaf && depth >= limit && !(RAW_TEXT_ELEMENTS.has(name) && foreign === 0);
    if (drop) {
      flattened++;
      cut(start, j, name);
    }
    if (!leaf) {
      push(name, drop);
      if (!drop && depth > deepest) deepest = depth;
    } else if (depth + 1 > deepest) deepest = depth + 1;
    if (RAW_TEXT_ELEMENTS.has(name) && foreign === 0) {
      // Text up to the matching end tag, which the next round reads as a tag.
      let pattern = rawTextEnds.get(name);
      if (!pattern) rawTextEnds.set(name, (pattern = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'ig')));
      pattern.lastIndex = j;
      const match = pattern.exec(html);
      if (!match) break;
      i = match.index;
    }
  }

  if (cuts.length === 0) return { html, elements, maxDepth: deepest, flattened };
  const parts: string[] = [];
  let from = 0;
  let spaced = false; // a space was left and nothing has followed it yet: one is enough
  for (let k = 0; k < cuts.length; k += 2) {
    const between = html.slice(from, cuts[k]);
    if (between) {
      parts.push(between);
      spaced = false;
    }
    if (spaces[k / 2] && !spaced) {
      parts.push(' ');
      spaced = true;
    }
    from = cuts[k + 1]!;
  }
  parts.push(html.slice(from));
  return { html: parts.join(''), elements, maxDepth: deepest, flattened };
}

const BUTTON_SCOPE = new Set(['button', 'table', 'td', 'th', 'caption', 'marquee', 'object', 'applet', 'template', 'svg', 'math']);
const LI = new Set(['li']);
const LIST_SCOPE = new Set(['ul', 'ol', 'table', 'td', 'th', 'template']);
const DT_DD = new Set(['dt', 'dd']);
const DL_SCOPE = new Set(['dl', 'table', 'td', 'th', 'template']);
const CELLS = new Set(['td', 'th']);
const ROWS = new Set(['tr']);
const SECTIONS = new Set(['thead', 'tbody', 'tfoot']);
const TABLE_SCOPE = new Set(['table', 'template']);
const OPTION = new Set(['option']);
const OPTIONS = new Set(['option', 'optgroup']);
const SELECT_SCOPE = new Set(['select', 'datalist']);
