import type { Block, ClearDoc, TableBlock } from '../model/document.js';
import { plainText } from '../model/text.js';
import { inlineText } from './inline.js';
import { formatDate } from './dates.js';
import { figureLine } from './text.js';

/** Escapes text for XML content and attribute values. */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Renders the article as SSML 1.1 for a speech engine: the headline and headings emphasised with
 * pauses around them, each paragraph a `<p>`, figures announced as images with a slower rate so
 * their description stands apart, tables read row by row with their headers, and the archive notice
 * at the end. The document language goes in `xml:lang`.
 */
export function renderSsml(doc: ClearDoc): string {
  const { meta } = doc;
  const out: string[] = [];
  out.push(`<p><s><emphasis level="strong">${xml(meta.title)}</emphasis></s></p>`);
  if (meta.dek) out.push(`<p><s>${xml(meta.dek)}</s></p>`);
  const byline = [meta.byline ? `By ${meta.byline}.` : '', meta.published ? `Published ${formatDate(meta.published, meta.lang)}.` : ''].filter(Boolean).join(' ');
  if (byline) out.push(`<p><s>${xml(byline)}</s></p>`);
  out.push('<break strength="x-strong"/>');
  for (const block of doc.blocks) out.push(...blockSsml(block));
  if (meta.archiveNotice) out.push('<break strength="x-strong"/>', `<p><s>Archive notice.</s> <s>${xml(meta.archiveNotice.text)}</s></p>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${xml(meta.lang)}">\n${out.join('\n')}\n</speak>\n`;
}

function blockSsml(block: Block): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [`<p>${xml(inlineText(block.content).replace(/\n/g, ' '))}</p>`];
    case 'heading':
      return ['<break strength="strong"/>', `<p><emphasis level="moderate">${xml(inlineText(block.content))}</emphasis></p>`, '<break strength="medium"/>'];
    case 'list':
      return block.items.flatMap((item, i) => {
        const words = item.flatMap(blockSsml).join(' ').replace(/<\/?p>/g, '');
        return [`<p>${block.ordered ? `${(block.start ?? 1) + i}. ` : ''}${words}</p>`];
      });
    case 'quote':
      return ['<p><s>Quote.</s></p>', ...block.blocks.flatMap(blockSsml), '<p><s>End of quote.</s></p>'];
    case 'code':
      return [`<p><s>Code block.</s> <prosody rate="90%">${xml(block.text.replace(/\s+/g, ' '))}</prosody></p>`];
    case 'rule':
      return ['<break strength="x-strong"/>'];
    case 'table':
      return tableSsml(block);
    case 'figure': {
      const line = figureLine(block).replace(/^\[Image: /, '').replace(/\]$/, '');
      return ['<break strength="medium"/>', `<p><s><emphasis level="reduced">Image.</emphasis></s> <prosody rate="95%">${xml(line)}</prosody></p>`, '<break strength="medium"/>'];
    }
  }
}

function tableSsml(table: TableBlock): string[] {
  const caption = table.caption ? plainText(table.caption) : '';
  const header = table.rows.find((row) => row.section === 'head');
  const headers = header?.cells.map((cell) => inlineText(cell.content)) ?? [];
  const out = [`<p><s>Table${caption ? `: ${xml(caption)}` : ''}.</s></p>`];
  for (const row of table.rows) {
    if (row === header) continue;
    const parts = row.cells.map((cell, i) => {
      const value = inlineText(cell.content).replace(/\n/g, ' ');
      const name = headers[i];
      return name && !cell.header ? `${name}: ${value}` : value;
    });
    out.push(`<p><s>${xml(parts.join('; '))}.</s></p>`);
  }
  return out;
}
