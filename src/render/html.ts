import { createHash } from 'node:crypto';
import type { Block, ClearDoc, Inline, TableBlock } from '../model/document.js';
import { isLocalImage } from '../extract/figures.js';
import { countWords, plainText } from '../model/text.js';
import { inlineHtml } from './inline.js';
import { runTemplate, type TemplateSet } from './templates.js';
import { localizerFor, type Localizer } from '../i18n/localizer.js';
import { GENERATOR } from '../version.js';

/** Options for {@link renderHtml} (and the text copy: see `TextOptions`). */
export interface RenderOptions {
  /**
   * The language of clearcopy's own words in the copy (`--ui-lang`; optional). By default the
   * article's, when there is a catalog for it, else English marked with `lang="en"`.
   */
  uiLang?: string;
}

/** The localizer for a document's copies: its language's catalog, English, or `uiLang`'s. */
export function localizerOf(doc: ClearDoc, templates: TemplateSet, options: RenderOptions = {}): Localizer {
  return localizerFor(templates.catalogs, doc.meta.lang, doc.meta.dir, { uiLang: options.uiLang });
}

/** Words read per minute for the reading-time estimate (a common adult silent-reading rate). */
export const WORDS_PER_MINUTE = 230;

/**
 * Renders the accessible HTML copy with the Handlebars templates. Everything goes through
 * Handlebars escaping except inline article HTML, which was sanitised during extraction, and
 * clearcopy's own words, which the message helpers escape (see `src/i18n/handlebars.ts`).
 */
export function renderHtml(doc: ClearDoc, templates: TemplateSet, options: RenderOptions = {}): string {
  const { meta } = doc;
  const ui = localizerOf(doc, templates, options);
  const words = countWords(doc);
  const minutes = Math.max(1, Math.round(words / ui.wordsPerMinute));
  const css = templates.css;
  const capture = captureNote(doc);
  const view = {
    lang: meta.lang,
    dir: meta.dir,
    title: meta.title,
    // A <title> cannot mark a part of itself as another language: without a catalog, no added words.
    pageTitle: ui.source('copy.pageTitle').marked
      ? [meta.title, meta.siteName].filter(Boolean).join(' – ')
      : meta.siteName ? ui.text('copy.pageTitleWithSite', { title: meta.title, site: meta.siteName }) : ui.text('copy.pageTitle', { title: meta.title }),
    dek: meta.dek,
    byline: meta.byline,
    bylineLabelled: meta.byline ? ui.bylineIsLabelled(meta.byline) : false,
    published: meta.published ? { iso: meta.published, display: ui.date(meta.published, 'article.published') } : undefined,
    siteName: meta.siteName,
    archiveNotice: meta.archiveNotice?.text,
    originalUrl: meta.archiveNotice?.originalUrl ?? doc.source.originalUrl ?? meta.canonicalUrl,
    capture: capture ? { ...capture, display: ui.date(capture.iso, 'provenance.captured') } : undefined,
    source: sourceOf(doc),
    generator: GENERATOR,
    wordCount: words,
    readingMinutes: minutes,
    css,
    csp: contentSecurityPolicy(css),
    blocks: [] as BlockView[],
  };
  view.blocks = blockViews(doc.blocks);
  return runTemplate(templates, 'html', view, { ui });
}

/** A block as the partials see it: `partial` names the partial that renders it. */
export type BlockView = { partial: string } & Record<string, unknown>;

/**
 * The view of the article's blocks for the block partials. `inline` serialises sanitised inline
 * content (default: HTML; the EPUB chapters pass an XHTML serialiser). Images that are files beside
 * a local input are left out unless `localImages` (a copy never names a file on this machine).
 */
export function blockViews(blocks: readonly Block[], inline: (nodes: Inline) => string = inlineHtml, localImages = false): BlockView[] {
  let tableNumber = 0;
  const shown = (block: Block) => localImages || block.kind !== 'figure' || !isLocalImage(block.image.src);
  const toView = (blocks: readonly Block[]): BlockView[] => blocks.filter(shown).map((block): BlockView => {
    switch (block.kind) {
      case 'paragraph': return { partial: 'paragraph', html: inline(block.content) };
      case 'heading': return { partial: 'heading', level: block.level, html: inline(block.content) };
      case 'list': return { partial: 'list', ordered: block.ordered, start: block.start, items: block.items.map(toView) };
      case 'quote': return { partial: 'quote', cite: block.cite, blocks: toView(block.blocks) };
      case 'code': return { partial: 'code', text: block.text, language: block.language };
      case 'rule': return { partial: 'rule' };
      case 'table': { const n = ++tableNumber; return { partial: 'table', tableNumber: n, ...tableView(block, n, inline) }; }
      case 'figure': {
        const captionHtml = block.caption ? inline(block.caption) : undefined;
        return {
          partial: 'figure',
          src: block.image.src,
          srcset: block.image.srcset,
          alt: block.image.alt,
          width: block.image.width,
          height: block.image.height,
          captionHtml,
          // Hiding a caption that holds a link would hide a focusable element (axe aria-hidden-focus).
          // With no image, the caption is the only place its words are: never hidden.
          captionRepeatsAlt: block.captionRepeatsAlt && !block.imageLeftOut && !captionHtml?.includes('<a '),
          credit: block.credit,
          needsDescription: block.needsDescription,
          // An image not shown keeps what describes it as text (its alt, unless the caption says it).
          imageLeftOut: block.imageLeftOut === true,
          leftOutText: block.imageLeftOut && block.image.alt && !block.captionRepeatsAlt ? block.image.alt : undefined,
          hasCaption: Boolean(captionHtml || block.credit || block.needsDescription || block.imageLeftOut),
        };
      }
    }
  });
  return toView(blocks);
}

/** When and by what kind of archive the page was captured, when known (the `archive` value of `provenance.captured`). */
export function captureNote(doc: ClearDoc): { iso: string; archive: 'wayback' | 'warc' | 'other' } | undefined {
  const { capturedAt, archive } = doc.source;
  if (!capturedAt) return undefined;
  // A WACZ holds WARC records; an MHTML file is an archive of another kind.
  return { iso: capturedAt, archive: archive === 'wayback' ? 'wayback' : archive === 'warc' || archive === 'wacz' ? 'warc' : 'other' };
}

/** What the copy was made from (the values of `provenance.madeFrom`): an archived file, an address, or neither. */
export function sourceOf(doc: ClearDoc): { source: 'file' | 'url' | 'other'; file: string; url: string } {
  const file = doc.source.path?.split(/[\\/]/).pop() ?? '';
  const url = doc.source.url ?? '';
  return { source: file ? 'file' : url ? 'url' : 'other', file, url };
}

function tableView(table: TableBlock, tableNumber: number, inline: (nodes: Inline) => string) {
  // An empty header cell names nothing: it is rendered as a data cell (axe empty-table-header).
  const rows = (section: string) => table.rows.filter((row) => row.section === section).map((row) => row.cells.map((cell): CellView => ({
    header: cell.header && plainText(cell.content) !== '',
    scope: cell.header && plainText(cell.content) !== '' ? cell.scope ?? (section === 'body' ? 'row' : undefined) : undefined,
    colspan: cell.colspan,
    rowspan: cell.rowspan,
    html: inline(cell.content),
  })));
  let head = rows('head');
  let body = rows('body');
  // A first row of header cells only is the column-header row, whatever section the page put it in.
  if (head.length === 0 && body.length > 1 && body[0]!.every((cell) => cell.header)) {
    head = [body[0]!.map((cell) => ({ ...cell, scope: 'col' }))];
    body = body.slice(1);
  }
  const foot = rows('foot');
  associateHeaders([...head, ...body, ...foot], tableNumber);
  return {
    captionHtml: table.caption ? inline(table.caption) : undefined,
    captionText: table.caption ? plainText(table.caption) : undefined,
    head: head.length ? head : undefined,
    body,
    foot: foot.length ? foot : undefined,
  };
}

/** A rendered table cell, as the table-cell partial sees it. */
interface CellView { header: boolean; scope?: string | undefined; colspan?: number | undefined; rowspan?: number | undefined; html: string; id?: string; headers?: string }

/**
 * In a table with more than one level of headers (two header rows, a header row inside the body,
 * a header cell spanning rows and columns), `scope` cannot say which headers a cell belongs to
 * (WCAG technique H43): every header cell gets an `id` and every data cell a `headers` list, the
 * header cells above it in its columns and to its left in its rows. Simple tables keep `scope`.
 */
export function associateHeaders(rows: CellView[][], tableNumber: number): void {
  // Lay the cells out on a grid, spans included (the HTML table model, simplified).
  const grid: (CellView | undefined)[][] = [];
  const placed: { cell: CellView; row: number; col: number }[] = [];
  rows.forEach((cells, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const cell of cells) {
      while (grid[r]![c]) c++;
      const rs = Math.max(1, cell.rowspan ?? 1);
      const cs = Math.max(1, cell.colspan ?? 1);
      for (let i = r; i < Math.min(r + rs, rows.length); i++) for (let j = c; j < c + cs; j++) (grid[i] ??= [])[j] = cell;
      placed.push({ cell, row: r, col: c });
      c += cs;
    }
  });
  // Header counts per row and per column, as HTML_CodeSniffer judges "multi-level" headers.
  const perRow = new Map<number, number>();
  const perCol = new Map<number, number>();
  let spansBoth = false;
  for (const { cell, row, col } of placed) {
    if (!cell.header) continue;
    if ((cell.rowspan ?? 1) > 1 && (cell.colspan ?? 1) > 1) spansBoth = true;
    perRow.set(row, (perRow.get(row) ?? 0) + (cell.colspan ?? 1));
    perCol.set(col, (perCol.get(col) ?? 0) + (cell.rowspan ?? 1));
  }
  const multi = (counts: Map<number, number>) => [...counts.values()].filter((n) => n > 1).length > 1;
  if (!spansBoth && !multi(perRow) && !multi(perCol)) return;

  let next = 0;
  for (const { cell } of placed) {
    if (!cell.header) continue;
    cell.id = `cc-t${tableNumber}-h${++next}`;
    delete cell.scope;
  }
  for (const { cell, row, col } of placed) {
    if (cell.header) continue;
    const ids = new Set<string>();
    const rs = Math.max(1, cell.rowspan ?? 1);
    const cs = Math.max(1, cell.colspan ?? 1);
    for (let j = col; j < col + cs; j++) for (let i = row - 1; i >= 0; i--) { const above = grid[i]?.[j]; if (above?.header && above.id) ids.add(above.id); }
    for (let i = row; i < Math.min(row + rs, grid.length); i++) for (let j = col - 1; j >= 0; j--) { const left = grid[i]?.[j]; if (left?.header && left.id) ids.add(left.id); }
    if (ids.size) cell.headers = [...ids].join(' ');
  }
}

/**
 * The copy's Content-Security-Policy: no script of any kind, no frames, no forms, no base URL,
 * images from the copy's own folder (`assets/`), over http(s) or as data: URLs, and only clearcopy's
 * own stylesheet (by hash).
 */
export function contentSecurityPolicy(css: string): string {
  const styleHash = createHash('sha256').update(css).digest('base64');
  return [
    "default-src 'none'",
    "script-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    "img-src 'self' https: http: data:",
    "font-src 'none'",
    "connect-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "worker-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}
