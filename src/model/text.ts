// Text of a document, for every layer: plain text of inline content, loose comparison of texts,
// a walk over all blocks, and the word count.
import type { ElementContent } from 'hast';
import type { Block, ClearDoc } from './document.js';

/** Collapsed text of hast nodes. */
export function plainText(nodes: readonly ElementContent[]): string {
  let out = '';
  const visit = (list: readonly ElementContent[]) => {
    for (const n of list) {
      if (n.type === 'text') out += n.value;
      else if (n.type === 'element') {
        if (n.tagName === 'br') out += ' ';
        else visit(n.children);
      }
    }
  };
  visit(nodes);
  return out.replace(/\s+/g, ' ').trim();
}

/** Text compared loosely: case, spacing and trailing punctuation ignored. */
export function sameWords(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[\s\u00a0]+/g, ' ').replace(/[\s.,;:!?…'"“”‘’()-]+$/g, '').replace(/^[\s'"“‘(]+/, '').trim();
  return norm(a) !== '' && norm(a) === norm(b);
}

/** Visits every block, depth first, including blocks inside lists and quotes. */
export function forEachBlock(blocks: readonly Block[], visit: (block: Block) => void): void {
  for (const block of blocks) {
    visit(block);
    if (block.kind === 'list') for (const item of block.items) forEachBlock(item, visit);
    if (block.kind === 'quote') forEachBlock(block.blocks, visit);
  }
}

/** Words in the body (letters and numbers runs), for the word count and reading time. */
export function countWords(doc: ClearDoc): number {
  let words = 0;
  const count = (text: string) => { words += (text.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? []).length; };
  forEachBlock(doc.blocks, (block) => {
    if (block.kind === 'paragraph' || block.kind === 'heading') count(plainText(block.content));
    else if (block.kind === 'table') for (const row of block.rows) for (const cell of row.cells) count(plainText(cell.content));
    else if (block.kind === 'code') count(block.text);
  });
  return words;
}
