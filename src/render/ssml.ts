import type { Block, ClearDoc, TableBlock } from '../model/document.js';
import { plainText } from '../model/text.js';
import { inlineText } from './inline.js';
import { figureDescription } from './text.js';
import { defaultCatalogs } from './templates.js';
import type { CatalogSet } from '../i18n/catalog.js';
import { escapeXml as xml, localizerFor, speechTag, type Localizer } from '../i18n/localizer.js';

/** Options for {@link renderSsml}. */
export interface SsmlOptions {
  /** The language of clearcopy's own words (`--ui-lang`; default: the article's, when there is a catalog for it, else English). */
  uiLang?: string;
  /** The message catalogs (default: clearcopy's own; a `TemplateSet`'s `catalogs` to use a templates folder's). */
  catalogs?: CatalogSet;
}

/**
 * Renders the article as SSML 1.1 for a speech engine: the headline and headings emphasised with
 * pauses around them, each paragraph a `<p>`, figures announced as images with a slower rate so
 * their description stands apart, tables read row by row with their headers, and the archive notice
 * at the end. The document language goes in `xml:lang`.
 */
export function renderSsml(doc: ClearDoc, options: SsmlOptions = {}): string {
  const { meta } = doc;
  const ui = localizerFor(options.catalogs ?? defaultCatalogs(), meta.lang, meta.dir, { uiLang: options.uiLang });
  const out: string[] = [];
  out.push(`<p><s><emphasis level="strong">${xml(meta.title)}</emphasis></s></p>`);
  if (meta.dek) out.push(`<p><s>${xml(meta.dek)}</s></p>`);
  const byline = [
    meta.byline ? (ui.bylineIsLabelled(meta.byline) ? `<s>${xml(meta.byline)}</s>` : ui.ssmlSentence('article.byline', { name: meta.byline })) : '',
    meta.published ? ui.ssmlSentence('article.published', { date: ui.date(meta.published, 'article.published') }) : '',
  ].filter(Boolean).join(' ');
  if (byline) out.push(`<p>${byline}</p>`);
  out.push('<break strength="x-strong"/>');
  for (const block of doc.blocks) out.push(...blockSsml(block, ui));
  if (meta.archiveNotice) out.push('<break strength="x-strong"/>', `<p>${ui.ssmlSentence('provenance.archiveNotice')} <s>${xml(meta.archiveNotice.text)}</s></p>`);
  // A speech engine may keep the voice of a marked sentence after it (espeak-ng 1.51 does): when
  // anything is marked, every paragraph says its own language, so the article's voice comes back.
  const lines = out.some((line) => line.includes(' xml:lang="')) ? out.map((line) => line.replace(/^<p>/, `<p xml:lang="${xml(speechTag(meta.lang))}">`)) : out;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${xml(meta.lang)}">\n${lines.join('\n')}\n</speak>\n`;
}

function blockSsml(block: Block, ui: Localizer): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [`<p>${xml(inlineText(block.content).replace(/\n/g, ' '))}</p>`];
    case 'heading':
      return ['<break strength="strong"/>', `<p><emphasis level="moderate">${xml(inlineText(block.content))}</emphasis></p>`, '<break strength="medium"/>'];
    case 'list':
      return block.items.flatMap((item, i) => {
        const words = item.flatMap((inner) => blockSsml(inner, ui)).join(' ').replace(/<\/?p>/g, '');
        return [`<p>${block.ordered ? `${(block.start ?? 1) + i}. ` : ''}${words}</p>`];
      });
    case 'quote':
      return [`<p>${ui.ssmlSentence('speech.quote')}</p>`, ...block.blocks.flatMap((inner) => blockSsml(inner, ui)), `<p>${ui.ssmlSentence('speech.quoteEnd')}</p>`];
    case 'code':
      return [`<p>${ui.ssmlSentence('speech.code')} <prosody rate="90%">${xml(block.text.replace(/\s+/g, ' '))}</prosody></p>`];
    case 'rule':
      return ['<break strength="x-strong"/>'];
    case 'table':
      return tableSsml(block, ui);
    case 'figure': {
      const label = ui.source('figure.spoken');
      const credit = block.credit ? ui.source('figure.credit') : undefined;
      // The description is the article's words; a credit label in another language is a sentence of its own, marked.
      const words = credit?.marked
        ? `<prosody rate="95%">${xml(figureDescription(block, ui, false))}</prosody> ${ui.ssmlSentence('figure.credit', { credit: block.credit! })}`
        : `<prosody rate="95%">${xml(figureDescription(block, ui))}</prosody>`;
      return ['<break strength="medium"/>', `<p><s${label.marked ? ` xml:lang="${xml(speechTag(label.lang))}"` : ''}><emphasis level="reduced">${xml(ui.text('figure.spoken'))}</emphasis></s> ${words}</p>`, '<break strength="medium"/>'];
    }
  }
}

function tableSsml(table: TableBlock, ui: Localizer): string[] {
  const caption = table.caption ? plainText(table.caption) : '';
  const header = table.rows.find((row) => row.section === 'head');
  const headers = header?.cells.map((cell) => inlineText(cell.content)) ?? [];
  const out = [`<p>${caption ? ui.ssmlSentence('table.captioned', { caption }) : ui.ssmlSentence('table.plain')}</p>`];
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
