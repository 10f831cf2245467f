import type { Block, ClearDoc, FigureBlock, TableBlock } from '../model/document.js';
import { isLocalImage } from '../extract/figures.js';
import { plainText } from '../model/text.js';
import { inlineText } from './inline.js';
import { runTemplate, type TemplateSet } from './templates.js';
import { formatDate } from './dates.js';
import { captureNote } from './html.js';

/** Options for {@link renderText}. */
export interface TextOptions {
  /** Column to wrap at (default: 80; 0 = no wrapping). */
  width?: number;
  /** Append a numbered list of link targets, with [n] markers after link text (default: false). */
  links?: boolean;
}

/**
 * Renders the plain-text copy for screen readers and speech: title, dek, byline and date, the body
 * with blank lines between blocks, figures as one `[Image: …]` line, tables row by row with their
 * headers, no markup or entities; the archive notice once, at the end.
 */
export function renderText(doc: ClearDoc, templates: TemplateSet, options: TextOptions = {}): string {
  const width = options.width ?? 80;
  const links: string[] = [];
  const onLink = options.links
    ? (href: string) => {
        if (!/^https?:/i.test(href)) return undefined;
        let index = links.indexOf(href);
        if (index === -1) index = links.push(href) - 1;
        return ` [${index + 1}]`;
      }
    : undefined;
  const body = blocksToText(doc.blocks, { width, onLink }).join('\n\n');
  const linkList = links.length ? `\n\nLinks:\n${links.map((href, i) => `[${i + 1}] ${href}`).join('\n')}` : '';
  const { meta } = doc;
  const date = meta.published ? formatDate(meta.published, meta.lang) : undefined;
  const bylineLine = [meta.byline ? `By ${meta.byline}` : '', date ? `Published ${date}` : ''].filter(Boolean).join('. ');
  const capture = captureNote(doc);
  const text = runTemplate(templates, 'text', {
    title: wrap(meta.title, width),
    dek: meta.dek ? wrap(meta.dek, width) : undefined,
    bylineLine: bylineLine ? wrap(bylineLine, width) : undefined,
    body: body + linkList,
    archiveNotice: meta.archiveNotice ? wrap(`Archive notice: ${meta.archiveNotice.text}`, width) : undefined,
    originalUrl: meta.archiveNotice?.originalUrl ?? doc.source.originalUrl ?? meta.canonicalUrl,
    captured: capture ? wrap(`Captured ${capture.by} on ${capture.display}.`, width) : undefined,
  });
  return `${text.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

interface Ctx {
  width: number;
  onLink: ((href: string, text: string) => string | undefined) | undefined;
  /** Leave out figure lines (default: false). */
  skipFigures?: boolean;
  /** Only the page's own words: no list numbers or bullets, tables as plain rows (see {@link bodyText}). */
  wordsOnly?: boolean;
}

/**
 * The article body as the text copy reads it, without headline, dek, byline, notice or (when
 * `figures` is false) figure lines: what extraction is scored on. With `listeningAids: false`,
 * also without the words the text copy adds for a listener and the page itself does not contain:
 * list numbers and bullets, "Table" and "Columns:" labels, a column's header before each cell
 * (tables are read as rows of cells, the header row once).
 */
export function bodyText(doc: ClearDoc, options: { width?: number; figures?: boolean; listeningAids?: boolean } = {}): string {
  return blocksToText(doc.blocks, { width: options.width ?? 0, onLink: undefined, skipFigures: options.figures === false, wordsOnly: options.listeningAids === false }).join('\n\n');
}

/** Text lines for a list of blocks, one string per block. */
export function blocksToText(blocks: readonly Block[], ctx: Ctx, indent = ''): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    const text = blockToText(block, ctx, indent);
    if (text.trim()) out.push(text);
  }
  return out;
}

function blockToText(block: Block, ctx: Ctx, indent: string): string {
  const inline = (content: Parameters<typeof inlineText>[0]) => inlineText(content, { onLink: ctx.onLink });
  switch (block.kind) {
    case 'paragraph':
      return wrap(inline(block.content), ctx.width, indent);
    case 'heading':
      return wrap(inline(block.content), ctx.width, indent);
    case 'list':
      return block.items.map((item, i) => {
        const marker = ctx.wordsOnly ? '' : block.ordered ? `${(block.start ?? 1) + i}. ` : '- ';
        const inner = blocksToText(item, ctx, indent + ' '.repeat(marker.length));
        const first = (inner[0] ?? '').slice(indent.length + marker.length);
        return [`${indent}${marker}${first}`, ...inner.slice(1)].join('\n');
      }).join('\n');
    case 'quote':
      // "> " opens each quoted paragraph; its other lines are indented, so no marker is read mid-sentence.
      return blocksToText(block.blocks, ctx, `${indent}  `).map((text) => `${indent}> ${text.slice(indent.length + 2)}`).join('\n\n');
    case 'code':
      return block.text.split('\n').map((line) => `${indent}    ${line}`.replace(/\s+$/, '')).join('\n');
    case 'rule':
      return `${indent}* * *`;
    case 'table':
      return tableToText(block, ctx, indent);
    case 'figure':
      // An image that is a file beside the input is kept for EPUB books only; the copies leave it out.
      return ctx.skipFigures || isLocalImage(block.image.src) ? '' : wrap(figureLine(block), ctx.width, indent);
  }
}

/** Ends a phrase with a full stop unless it already ends with punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…:;)\]"'”’۔।。！？]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** One line for a figure: its description said once, then the credit ("[Image: … Photo: …]"). */
export function figureLine(figure: FigureBlock): string {
  const caption = figure.caption ? plainText(figure.caption) : '';
  const parts: string[] = [];
  if (figure.image.alt) parts.push(sentence(figure.image.alt));
  if (caption && !figure.captionRepeatsAlt) parts.push(sentence(caption));
  if (parts.length === 0) parts.push('An image the archived page did not describe.');
  if (figure.credit) parts.push(`Photo: ${figure.credit}`);
  return `[Image: ${parts.join(' ')}]`;
}

/** Reads a table row by row, each cell with its column header ("Header: value; …"). */
function tableToText(table: TableBlock, ctx: Ctx, indent: string): string {
  if (ctx.wordsOnly) {
    const caption = table.caption ? [inlineText(table.caption)] : [];
    const rows = table.rows.map((row) => row.cells.map((cell) => inlineText(cell.content).replace(/\s*\n\s*/g, ' ')).filter(Boolean).join(' '));
    return [...caption, ...rows].filter(Boolean).map((line) => wrap(line, ctx.width, indent)).join('\n');
  }
  const lines: string[] = [];
  const caption = table.caption ? inlineText(table.caption) : '';
  lines.push(wrap(`Table${caption ? `: ${caption}` : ''}`, ctx.width, indent, 2));
  const headerRow = table.rows.find((row) => row.section === 'head') ?? (table.rows[0]?.cells.every((c) => c.header) ? table.rows[0] : undefined);
  const headers: string[] = [];
  if (headerRow) {
    for (const cell of headerRow.cells) for (let i = 0; i < (cell.colspan ?? 1); i++) headers.push(inlineText(cell.content));
  }
  if (headers.some(Boolean)) lines.push(wrap(`Columns: ${headers.filter(Boolean).join(', ')}.`, ctx.width, indent, 2));
  for (const row of table.rows) {
    if (row === headerRow) continue;
    const parts: string[] = [];
    let column = 0;
    let rowHeader = '';
    for (const cell of row.cells) {
      const value = inlineText(cell.content, { onLink: ctx.onLink }).replace(/\s*\n\s*/g, ' ');
      const header = headers[column];
      if (cell.header && cell.scope !== 'col' && !rowHeader) rowHeader = value;
      else if (value) parts.push(header && header !== value ? `${header}: ${value}` : value);
      column += cell.colspan ?? 1;
    }
    const line = `${rowHeader ? `${rowHeader}. ` : ''}${parts.join('; ')}`;
    if (line.trim()) lines.push(wrap(`- ${sentence(line)}`, ctx.width, indent, 2));
  }
  return lines.join('\n');
}

/**
 * Wraps text at `width` columns (0 = no wrap), prefixing every line with `indent`; continuation
 * lines get `hanging` extra spaces. Never breaks inside a word or a URL.
 */
export function wrap(text: string, width: number, indent = '', hanging = 0): string {
  return text.split('\n').map((paragraph) => {
    if (width <= 0) return indent + paragraph;
    const words = paragraph.split(/ +/).filter(Boolean);
    const lines: string[] = [];
    let line = '';
    for (const word of words) {
      const prefix = lines.length === 0 ? indent : indent + ' '.repeat(hanging);
      if (line && [...prefix + line + ' ' + word].length > width) {
        lines.push(prefix + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push((lines.length === 0 ? indent : indent + ' '.repeat(hanging)) + line);
    return lines.join('\n');
  }).join('\n');
}
