import type { Block } from '../model/document.js';
import { blockText } from '../normalize/boilerplate.js';

/** Word 4-grams of a text (lower-cased letters and digits only). */
function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 4 <= words.length; i++) out.add(words.slice(i, i + 4).join(' '));
  if (words.length > 0 && words.length < 4) out.add(words.join(' '));
  return out;
}

/**
 * Cross-checks the extracted body against the page's JSON-LD `articleBody` (the publisher's own
 * plain text of the story). Only when that text is the whole story — at least 500 characters and
 * holding 80 % or more of the extracted paragraphs' word 4-grams — are short paragraphs (under
 * 300 characters) at the start or end of the body that share no 4-gram with it removed: they
 * are a dateline, a prompt or a credit line that the publisher itself does not count as the story.
 * Returns how many blocks it removed.
 */
export function crossCheckArticleBody(blocks: Block[], articleBody: string | undefined): number {
  if (!articleBody || articleBody.length < 500) return 0;
  const truth = shingles(articleBody);
  const texts = blocks.map((block, index) => ({ block, index, text: block.kind === 'paragraph' || block.kind === 'heading' ? blockText(block) : '' })).filter((b) => b.text);
  let total = 0;
  let found = 0;
  for (const { text } of texts) {
    for (const shingle of shingles(text)) {
      total++;
      if (truth.has(shingle)) found++;
    }
  }
  if (total === 0 || found / total < 0.8) return 0;
  const edges = [...texts.slice(0, 3), ...texts.slice(-5)];
  const drop = new Set<number>();
  for (const { index, text } of edges) {
    if (text.length >= 300) continue;
    const own = [...shingles(text)];
    if (own.length > 0 && own.every((s) => !truth.has(s))) drop.add(index);
  }
  for (const index of [...drop].sort((a, b) => b - a)) blocks.splice(index, 1);
  return drop.size;
}
