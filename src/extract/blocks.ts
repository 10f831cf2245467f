import type { Element, ElementContent, Nodes, Text } from 'hast';
import type { Block, FigureBlock, Inline, TableBlock, TableCell, TableRow } from '../model/document.js';
import { sanitizeInline } from './sanitize.js';
import { buildFigure, type RawFigure } from './figures.js';

/** Elements whose content is phrasing (inline) content. */
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'label',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr', 'big', 'nobr',
]);
/** Elements dropped with everything inside them. */
const DROPPED_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'video', 'audio', 'canvas', 'svg', 'math',
  'form', 'input', 'button', 'select', 'textarea', 'nav', 'map', 'area', 'meta', 'link', 'head', 'title', 'dialog', 'source', 'track',
]);

/**
 * Converts the article element (as hast) into clearcopy's blocks. Images become figure blocks;
 * with `localImages`, also images that are files beside a local input (see `ExtractOptions.localImages`).
 */
export function toBlocks(nodes: readonly ElementContent[], pageUrl?: string, localImages = false): { blocks: Block[]; rawFigures: RawFigure[] } {
  const state: State = { blocks: [], inline: [], rawFigures: [], pageUrl, localImages };
  walk(nodes, state);
  flush(state);
  return { blocks: state.blocks, rawFigures: state.rawFigures };
}

interface State {
  blocks: Block[];
  inline: ElementContent[];
  rawFigures: RawFigure[];
  pageUrl: string | undefined;
  localImages: boolean;
}

function walk(nodes: readonly ElementContent[], state: State): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      state.inline.push(node);
      continue;
    }
    if (node.type !== 'element') continue;
    const tag = node.tagName;
    if (DROPPED_TAGS.has(tag)) continue;
    if (INLINE_TAGS.has(tag) && !containsBlock(node)) {
      state.inline.push(node);
      continue;
    }
    if (tag === 'img' || tag === 'picture' || (INLINE_TAGS.has(tag) && isImageOnly(node))) {
      flush(state);
      emitFigure(state, { image: node, caption: undefined, container: node });
      continue;
    }
    flush(state);
    switch (tag) {
      case 'p': {
        // A paragraph may hold images: each becomes its own figure, in place.
        walkParagraph(node, state);
        break;
      }
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': {
        const content = inlineOf(node.children, state);
        if (hasText(content)) state.blocks.push({ kind: 'heading', level: Number(tag[1]), content });
        // A heading's text holds no images: a photo inside one (some CMSs put it there) follows it as a figure.
        for (const image of allImages(node)) if (!isIcon(image)) emitFigure(state, { image, caption: undefined, container: image });
        break;
      }
      case 'ul': case 'ol': case 'menu': {
        const items = node.children
          .filter((child): child is Element => child.type === 'element')
          .map((li) => (li.tagName === 'li' ? subBlocks(li.children, state) : subBlocks([li], state)))
          .filter((item) => item.length > 0);
        if (items.length === 0) break;
        const start = Number(node.properties.start);
        state.blocks.push({ kind: 'list', ordered: tag === 'ol', ...(tag === 'ol' && Number.isInteger(start) && start !== 1 ? { start } : {}), items });
        break;
      }
      case 'dl': {
        const items = node.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'dt' || c.tagName === 'dd'))
          .map((c) => (c.tagName === 'dt' ? [{ kind: 'paragraph', content: [{ type: 'element', tagName: 'strong', properties: {}, children: inlineOf(c.children, state) }] } as Block] : subBlocks(c.children, state)))
          .filter((item) => item.length > 0);
        if (items.length) state.blocks.push({ kind: 'list', ordered: false, items });
        break;
      }
      case 'blockquote': {
        const blocks = subBlocks(node.children, state);
        const cite = typeof node.properties.cite === 'string' && /^https?:/i.test(node.properties.cite) ? node.properties.cite : undefined;
        if (blocks.length) state.blocks.push({ kind: 'quote', blocks, ...(cite ? { cite } : {}) });
        break;
      }
      case 'pre': {
        const text = rawText(node).replace(/^\n/, '').replace(/\s+$/, '');
        const code = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code');
        const language = classNames(code ?? node).map((c) => /^(?:language|lang)-(.+)$/.exec(c)?.[1]).find(Boolean);
        if (text.trim()) state.blocks.push({ kind: 'code', text, ...(language ? { language } : {}) });
        break;
      }
      case 'hr':
        if (state.blocks.length && state.blocks.at(-1)?.kind !== 'rule') state.blocks.push({ kind: 'rule' });
        break;
      case 'table': {
        const table = buildTable(node, state);
        if (table) {
          state.blocks.push(table);
          // A data table's cells hold text only: its images (not its icons) follow it as figures.
          for (const image of allImages(node)) if (!isIcon(image)) emitFigure(state, { image, caption: undefined, container: image });
        } else {
          walk(layoutTableCells(node), state);
        }
        break;
      }
      case 'figure': {
        const image = findImage(node);
        const caption = findChild(node, (el) => el.tagName === 'figcaption');
        if (image && countImages(node) === 1) {
          emitFigure(state, { image, caption, container: node });
        } else {
          // A figure around a quote, table or code, or a gallery: keep its content, caption as a paragraph.
          walk(node.children.filter((c) => c !== caption), state);
          flush(state);
          if (caption) walk([{ ...caption, tagName: 'p' }], state);
        }
        break;
      }
      default:
        // div, section, article, main, header, footer, aside, center, details, li outside lists…
        walk(node.children, state);
        flush(state);
    }
  }
}

function walkParagraph(p: Element, state: State): void {
  const run: ElementContent[] = [];
  const flushRun = () => {
    const content = sanitizeInline(run.splice(0));
    const trimmed = trimInline(content);
    if (hasText(trimmed)) state.blocks.push({ kind: 'paragraph', content: trimmed });
  };
  for (const child of p.children) {
    if (child.type === 'element' && (child.tagName === 'img' || child.tagName === 'picture' || isImageOnly(child))) {
      flushRun();
      emitFigure(state, { image: child, caption: undefined, container: child });
    } else if (child.type === 'element' && !INLINE_TAGS.has(child.tagName) && child.tagName !== 'img') {
      flushRun();
      walk([child], state);
      flush(state);
    } else if (child.type === 'element' && containsImage(child)) {
      // A link or span wrapping text and an image: keep the text, lift the image out after it.
      run.push(withoutImages(child));
      for (const image of allImages(child)) {
        flushRun();
        emitFigure(state, { image, caption: undefined, container: image });
      }
    } else {
      run.push(child);
    }
  }
  flushRun();
}

function subBlocks(nodes: readonly ElementContent[], parent: State): Block[] {
  const state: State = { blocks: [], inline: [], rawFigures: parent.rawFigures, pageUrl: parent.pageUrl, localImages: parent.localImages };
  walk(nodes, state);
  flush(state);
  return state.blocks;
}

function flush(state: State): void {
  if (state.inline.length === 0) return;
  const content = trimInline(sanitizeInline(state.inline.splice(0)));
  if (hasText(content)) state.blocks.push({ kind: 'paragraph', content });
}

function emitFigure(state: State, raw: Omit<RawFigure, 'pageUrl' | 'localImages'>): void {
  const full: RawFigure = { ...raw, pageUrl: state.pageUrl, localImages: state.localImages };
  state.rawFigures.push(full);
  const figure: FigureBlock | undefined = buildFigure(full, inlineOfStateless);
  if (figure) state.blocks.push(figure);
}

function inlineOfStateless(nodes: readonly ElementContent[]): Inline {
  return trimInline(sanitizeInline(flattenToInline(nodes)));
}

function inlineOf(nodes: readonly ElementContent[], _state: State): Inline {
  return inlineOfStateless(nodes);
}

/** Flattens block elements inside inline content (e.g. a <div> inside a heading) into inline runs separated by spaces. */
function flattenToInline(nodes: readonly ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === 'element' && DROPPED_TAGS.has(node.tagName)) continue;
    if (node.type === 'element' && (node.tagName === 'img' || node.tagName === 'picture')) continue;
    if (node.type === 'element' && !INLINE_TAGS.has(node.tagName)) {
      out.push({ type: 'text', value: ' ' }, ...flattenToInline(node.children), { type: 'text', value: ' ' });
    } else if (node.type === 'element') {
      out.push({ ...node, children: flattenToInline(node.children) });
    } else {
      out.push(node);
    }
  }
  return out;
}

// ——— tables ———

/** A data table (has header cells, or several rows and columns of short cells); layout tables return undefined. */
function buildTable(table: Element, state: State): TableBlock | undefined {
  const rows: TableRow[] = [];
  let caption: Inline | undefined;
  let nested = false;
  const visit = (el: Element, section: TableRow['section']) => {
    for (const child of el.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'caption') caption = inlineOf(child.children, state);
      else if (child.tagName === 'thead') visit(child, 'head');
      else if (child.tagName === 'tfoot') visit(child, 'foot');
      else if (child.tagName === 'tbody') visit(child, 'body');
      else if (child.tagName === 'tr') {
        const cells: TableCell[] = [];
        for (const cell of child.children) {
          if (cell.type !== 'element' || (cell.tagName !== 'td' && cell.tagName !== 'th')) continue;
          if (hasBlockContent(cell)) nested = true;
          const colspan = Number(cell.properties.colSpan);
          const rowspan = Number(cell.properties.rowSpan);
          const scope = String(cell.properties.scope ?? '');
          cells.push({
            header: cell.tagName === 'th',
            ...(scope === 'col' || scope === 'row' ? { scope } : {}),
            ...(colspan > 1 ? { colspan } : {}),
            ...(rowspan > 1 ? { rowspan } : {}),
            content: inlineOf(cell.children, state),
          });
        }
        if (cells.length) rows.push({ section, cells });
      }
    }
  };
  visit(table, 'body');
  if (nested || rows.length === 0) return undefined;
  // A <tfoot> is shown at the foot wherever it stands in the source (HTML 4 put it before <tbody>).
  const rank = { head: 0, body: 1, foot: 2 } as const;
  rows.sort((a, b) => rank[a.section ?? 'body'] - rank[b.section ?? 'body']);
  dropRepeatedHeaderRows(rows);
  const hasHeaders = rows.some((row) => row.cells.some((cell) => cell.header));
  const columns = Math.max(...rows.map((row) => row.cells.length));
  if (!hasHeaders && (rows.length < 2 || columns < 2)) return undefined;
  if (!hasHeaders) {
    // A grid without header cells: treat its first row as column headers, the usual layout of data tables.
    const first = rows[0]!;
    first.section = 'head';
    for (const cell of first.cells) {
      cell.header = true;
      cell.scope = 'col';
    }
  }
  for (const row of rows) {
    if (row.section === 'head') for (const cell of row.cells) if (cell.header) cell.scope ??= 'col';
  }
  return { kind: 'table', ...(caption && hasText(caption) ? { caption } : {}), rows };
}

/**
 * Drops a closing row of header cells that repeats an earlier header row word for word (long tables
 * print their column headers again at the foot): a screen reader would read the headers twice, and
 * as headers with no data cells under them (axe th-has-data-cells, HTML_CodeSniffer H43).
 */
export function dropRepeatedHeaderRows(rows: TableRow[]): void {
  const key = (row: TableRow) => row.cells.map((cell) => plainTextOf(cell.content).toLowerCase()).join('\u0001');
  const allHeaders = (row: TableRow) => row.cells.length > 0 && row.cells.every((cell) => cell.header);
  while (rows.length > 2) {
    const last = rows.at(-1)!;
    if (!allHeaders(last) || !key(last).replace(/\u0001/g, '').trim()) return;
    const earlier = rows.slice(0, -1).find((row) => allHeaders(row) && key(row) === key(last));
    if (!earlier) return;
    rows.pop();
  }
}

function plainTextOf(nodes: readonly ElementContent[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.value : n.type === 'element' ? plainTextOf(n.children) : '')).join('').replace(/\s+/g, ' ').trim();
}

function layoutTableCells(table: Element): ElementContent[] {
  const cells: ElementContent[] = [];
  const visit = (el: Element) => {
    for (const child of el.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'td' || child.tagName === 'th' || child.tagName === 'caption') cells.push({ ...child, tagName: 'div' });
      else if (child.tagName !== 'table') visit(child);
      else cells.push(child);
    }
  };
  visit(table);
  return cells;
}

// ——— helpers ———

const BLOCK_TAGS = new Set(['p', 'div', 'section', 'article', 'ul', 'ol', 'dl', 'table', 'blockquote', 'pre', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'header', 'footer', 'aside', 'main', 'center', 'details']);

function containsBlock(el: Element): boolean {
  return el.children.some((c) => c.type === 'element' && (BLOCK_TAGS.has(c.tagName) || c.tagName === 'img' || c.tagName === 'picture' || containsBlock(c)));
}
function hasBlockContent(el: Element): boolean {
  return el.children.some((c) => c.type === 'element' && (BLOCK_TAGS.has(c.tagName) || hasBlockContent(c)));
}
function containsImage(el: Element): boolean {
  return el.children.some((c) => c.type === 'element' && (c.tagName === 'img' || c.tagName === 'picture' || containsImage(c)));
}
function allImages(el: Element): Element[] {
  const found: Element[] = [];
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    if (c.tagName === 'img' || c.tagName === 'picture') found.push(c);
    else found.push(...allImages(c));
  }
  return found;
}
function withoutImages(el: Element): Element {
  return { ...el, children: el.children.filter((c) => !(c.type === 'element' && (c.tagName === 'img' || c.tagName === 'picture'))).map((c) => (c.type === 'element' ? withoutImages(c) : c)) };
}
/** An image drawn at icon size (a tick, a flag, a bullet): 48 CSS pixels or less on a side. */
function isIcon(image: Element): boolean {
  const img = image.tagName === 'img' ? image : allImages(image).find((el) => el.tagName === 'img') ?? image;
  const size = (value: unknown) => Number.parseFloat(String(value ?? ''));
  return size(img.properties.width) <= 48 || size(img.properties.height) <= 48;
}

/** An inline element (typically a link) whose only content is one image. */
function isImageOnly(el: Element): boolean {
  return countImages(el) === 1 && !hasText(el.children);
}
function countImages(el: Element): number {
  return allImages(el).length;
}
function findImage(el: Element): Element | undefined {
  return allImages(el)[0];
}
function findChild(el: Element, test: (child: Element) => boolean): Element | undefined {
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    if (test(c)) return c;
    const deeper = findChild(c, test);
    if (deeper) return deeper;
  }
  return undefined;
}
function classNames(el: Element): string[] {
  const value: unknown = el.properties.className;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

/** The text of a subtree exactly as written (for <pre>). */
export function rawText(node: Nodes): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' && node.tagName === 'br') return '\n';
  if ('children' in node) return (node.children as Nodes[]).map(rawText).join('');
  return '';
}

/** True when inline content holds any non-whitespace text. */
export function hasText(nodes: readonly (ElementContent | Nodes)[]): boolean {
  return nodes.some((n) => (n.type === 'text' ? /\S/.test(n.value) : 'children' in n ? hasText(n.children as Nodes[]) : false));
}

/** Collapses whitespace and trims the start and end of an inline run. */
export function trimInline(nodes: ElementContent[]): ElementContent[] {
  const collapse = (list: ElementContent[]): ElementContent[] =>
    list.map((n) => (n.type === 'text' ? ({ ...n, value: n.value.replace(/[\u200b\ufeff\u00ad]/g, '').replace(/[ \t\n\r\f]+/g, ' ') } as Text) : n.type === 'element' ? { ...n, children: n.tagName === 'code' ? n.children : collapse(n.children) } : n));
  const out = collapse(nodes);
  // Trim leading/trailing whitespace and <br>s.
  while (out.length && ((out[0]!.type === 'text' && !/\S/.test((out[0] as Text).value)) || (out[0]!.type === 'element' && (out[0] as Element).tagName === 'br'))) out.shift();
  while (out.length && ((out.at(-1)!.type === 'text' && !/\S/.test((out.at(-1) as Text).value)) || (out.at(-1)!.type === 'element' && (out.at(-1) as Element).tagName === 'br'))) out.pop();
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, value: first.value.trimStart() };
  const last = out.at(-1);
  if (last?.type === 'text') out[out.length - 1] = { ...last, value: last.value.trimEnd() };
  return out;
}
