import type { ElementContent } from 'hast';
import type { FigureBlock, Inline } from '../model/document.js';
import { forEachBlock, plainText } from '../model/text.js';
import type { NormalizeStep } from './index.js';

// What a figure says, said once: sites write the caption again into the alt text (often with a
// word changed or the credit glued on), and put the gallery's controls ("Zum Vergrößern auf das
// Bild klicken", "Zum Shop") into the caption. A listener hears every one of those words.

/** A gallery's or shop widget's control words inside a caption or alt text (never what the picture shows). */
const FIGURE_CONTROL = new RegExp([
  String.raw`\b(?:zum vergrößern (?:auf das bild |hier )?klicken|(?:bild|foto) vergrößern|klicken (?:sie )?zum vergrößern|zum vergrößern anklicken)\b`,
  String.raw`\b(?:click|tap) (?:here |on the image |on the picture )?to (?:enlarge|zoom|view (?:larger|full size|full-size))\b|\b(?:view|see) (?:larger|full[- ]size)(?: image| version)?\b|\benlarge (?:this )?(?:image|picture|photo)\b`,
  String.raw`\bcliquez (?:ici |sur l'image )?pour agrandir\b|\bagrandir l'image\b|\bclic para ampliar\b|\bhaz clic para ampliar\b|\bkliknij,? aby powiększyć\b|\bpowiększ zdjęcie\b`,
  // a shop widget's button, at the end of a product picture's caption
  String.raw`\b(?:zum shop|jetzt (?:kaufen|shoppen)|shop now|buy now)\s*[!»›>]*\s*$`,
].join('|'), 'giu');

/** Punctuation left doubled where a phrase was cut out ("Connection. . CC-BY"). */
const tidy = (text: string) => text.replace(/([.!?:;,])(?:\s*[.:;,])+/g, '$1').replace(/\s{2,}/g, ' ');

/** A link that is only a shop widget's button ("Zum Shop", "Jetzt kaufen", "Shop now"). */
const SHOP_BUTTON = /^(?:zum (?:shop|produkt|angebot)|jetzt (?:kaufen|shoppen|bestellen)|hier (?:kaufen|bestellen|shoppen)|shop now|buy now|buy here|acheter|comprar|kup teraz)\s*[!»›>]*$/iu;

/** What stands before a credit: a label word, ©, or the parenthesis it is written in. */
const CREDIT_LABELS = String.raw`\bphoto(?:graph)?s?|\bfotos?|\bbild(?:er)?|\bimage|\bquelle|\bsource|\bcredits?|\bfuente|\bźródło|©|\(`;

/** Lower-cased words (letters and digits) of a text. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** True when every word of `part` (two words or more) occurs in `whole`. */
export function wordsContained(part: string, whole: string): boolean {
  const list = words(part);
  if (list.length < 2) return false;
  const have = new Set(words(whole));
  return list.every((word) => have.has(word));
}

/** The inline run with control phrases cut out of its text and shop-button links removed. */
function withoutControls(nodes: Inline): Inline {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const cut = node.value.replace(FIGURE_CONTROL, '');
      const value = cut === node.value ? cut : tidy(cut);
      if (value.trim() || !/\S/.test(node.value)) out.push(value === node.value ? node : { ...node, value });
    } else if (node.type === 'element') {
      if (node.tagName === 'a' && SHOP_BUTTON.test(plainText(node.children).trim())) continue;
      out.push({ ...node, children: withoutControls(node.children) });
    } else {
      out.push(node);
    }
  }
  return out;
}

function hasLink(nodes: Inline): boolean {
  return nodes.some((node) => node.type === 'element' && (node.tagName === 'a' || hasLink(node.children)));
}

/** Tidies what a figure says: control words out, the alt text and caption said once, the credit once. */
export function figureSaysOnce(figure: FigureBlock): void {
  if (figure.caption) {
    const caption = withoutControls(figure.caption);
    const text = plainText(caption).replace(/^[\s.,;:|–—-]+|[\s,;:|–—-]+$/g, '');
    if (text) figure.caption = caption;
    else delete figure.caption;
  }
  if (figure.image.alt) {
    const alt = figure.image.alt.replace(FIGURE_CONTROL, ' ');
    if (alt !== figure.image.alt) figure.image.alt = tidy(alt).replace(/^[\s.,;:|–—-]+|[\s,;:|–—-]+$/g, '').trim();
  }
  const alt = figure.image.alt;
  const captionText = figure.caption ? plainText(figure.caption).replace(/\s+/g, ' ').trim() : '';
  if (alt && captionText && !figure.captionRepeatsAlt) {
    if (wordsContained(alt, captionText) && !hasLink(figure.caption!)) {
      // The caption says all the alt text says, and more: the caption's words become the image's
      // description, and the caption is shown to the eye only (as when both are the same).
      figure.image.alt = captionText;
      figure.description = captionText;
      figure.captionRepeatsAlt = true;
    } else if (wordsContained(captionText, alt) && !figure.imageLeftOut) {
      figure.captionRepeatsAlt = true; // the alt text already says all the caption says
    }
  }
  // A credit the caption or alt text already gives, with its label ("… Foto: DCV / Oppitz" and
  // credit "DCV / Oppitz"). A name in the caption without a label is someone in the picture.
  if (figure.credit) {
    const said = `${figure.image.alt} ${figure.captionRepeatsAlt ? '' : captionText}`;
    const credit = figure.credit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?:${CREDIT_LABELS})\\s*(?:[:：]|by\\b|von\\b)?\\s*${credit}`, 'iu').test(said)) delete figure.credit;
  }
}

/**
 * Says each figure's words once: control words of galleries and shop widgets taken out of the
 * caption and alt text, an alt text the caption repeats (or the other way round) said once, and a
 * credit the caption already names not repeated.
 */
export const figureWordsOnce: NormalizeStep = {
  name: 'figure-words-once',
  run(doc) {
    forEachBlock(doc.blocks, (block) => {
      if (block.kind === 'figure') figureSaysOnce(block);
    });
  },
};
