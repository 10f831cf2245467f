import type { ElementContent } from 'hast';
import type { Block, ClearDoc, Inline } from '../model/document.js';
import { tidyLinks } from '../model/links.js';
import type { NormalizeStep } from './index.js';

/**
 * One stop per address: a screen reader user moving from link to link (Tab, the links list) meets
 * the copy's links with nothing read between them. When a link goes to the same address as the link
 * just before it in reading order, with no text or image between — a linked heading followed by a
 * paragraph that opens with the same link, a "More in Opinion ›" link under the "Opinion" heading
 * link, two table headers flattened into paragraphs — it is a second stop that says nothing new.
 *
 * Within one paragraph, heading, caption or cell the two links are merged into one
 * ({@link tidyLinks}); across a block boundary they cannot be, so the later one becomes plain
 * text: its words stay where they were and the address stays one stop earlier.
 */
export const oneStopPerAddress: NormalizeStep = {
  name: 'one-stop-per-address',
  run(doc) {
    const state: { last: string | undefined } = { last: undefined };
    visitBlocks(doc.blocks, state);
  },
};

type State = { last: string | undefined };

function visitBlocks(blocks: Block[], state: State): void {
  for (const block of blocks) {
    switch (block.kind) {
      case 'paragraph':
      case 'heading':
        block.content = visitInline(tidyLinks(block.content), state);
        break;
      case 'list':
        for (const item of block.items) visitBlocks(item, state);
        break;
      case 'quote':
        visitBlocks(block.blocks, state);
        break;
      case 'code':
        if (block.text.trim()) state.last = undefined;
        break;
      case 'rule':
        break;
      case 'table': {
        if (block.caption) block.caption = visitInline(tidyLinks(block.caption), state);
        // Rendered order: header rows, body rows, footer rows.
        for (const section of ['head', 'body', 'foot'] as const) {
          for (const row of block.rows) {
            if (row.section !== section) continue;
            for (const cell of row.cells) cell.content = visitInline(tidyLinks(cell.content), state);
          }
        }
        break;
      }
      case 'figure':
        state.last = undefined; // the image is read between
        if (block.caption) block.caption = visitInline(tidyLinks(block.caption), state);
        if (block.credit || block.needsDescription) state.last = undefined;
        break;
    }
  }
}

function visitInline(nodes: Inline, state: State): Inline {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      if (/\S/.test(node.value)) state.last = undefined;
      out.push(node);
      continue;
    }
    if (node.type !== 'element') {
      out.push(node);
      continue;
    }
    const href = node.tagName === 'a' && typeof node.properties.href === 'string' && node.properties.href && !node.properties.href.startsWith('#') ? node.properties.href : undefined;
    if (href && href === state.last) {
      // The same address again with nothing between: keep the words, drop the second stop.
      out.push(...visitInline(node.children, state));
      continue;
    }
    const children = visitInline(node.children, state);
    if (href && hasText(children)) state.last = href;
    out.push({ ...node, children });
  }
  return out;
}

function hasText(nodes: readonly ElementContent[]): boolean {
  return nodes.some((n) => (n.type === 'text' ? /\S/.test(n.value) : n.type === 'element' ? hasText(n.children) : false));
}
