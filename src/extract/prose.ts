/** A text run this long, outside links and within one block, is prose. */
export const PROSE_RUN = 80;

/** Elements that continue the text run of the block they are in. */
export const INLINE_ELEMENT = /^(A|ABBR|B|BDI|BDO|CITE|CODE|DATA|DFN|EM|FONT|I|KBD|MARK|Q|S|SAMP|SMALL|SPAN|STRONG|SUB|SUP|TIME|U|VAR|BIG|TT|STRIKE|INS|DEL|LABEL)$/;

/** Elements whose text is never prose: links, and what is not shown. */
const NOT_PROSE = new Set(['A', 'SCRIPT', 'STYLE', 'NOSCRIPT']);

/**
 * Characters of running prose under the element: text runs of 80+ characters outside links
 * within one block (headlines and teasers in link lists are shorter or linked; article
 * paragraphs are not), whatever element holds them (<p>, a <div> per paragraph, text between <br>s).
 */
export function proseLength(element: Element): number {
  // A plain recursive walk over firstChild/nextSibling: jsdom's TreeWalker costs ~80 µs a node.
  let total = 0;
  let run = 0;
  let runBlock: Node | null = null;
  const visit = (node: Node, block: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        if (block !== runBlock) {
          if (run >= PROSE_RUN) total += run;
          run = 0;
          runBlock = block;
        }
        run += (child.nodeValue ?? '').replace(/\s+/g, ' ').trim().length;
      } else if (child.nodeType === 1) {
        const tag = (child as Element).tagName;
        if (NOT_PROSE.has(tag)) continue;
        visit(child, INLINE_ELEMENT.test(tag) ? block : child);
      }
    }
  };
  visit(element, element);
  if (run >= PROSE_RUN) total += run;
  return total;
}

/** One run of prose: the block that holds it and its text, white space collapsed. */
export interface ProseRun {
  block: Element;
  text: string;
}

/**
 * Every prose run under `root`, in document order, and each element's characters of prose (for
 * every element below `root` that has some), from one walk: asking {@link proseLength} of every
 * element would walk each subtree again.
 */
export function measureProse(root: Element): { runs: ProseRun[]; prose: Map<Element, number> } {
  const runs: ProseRun[] = [];
  const prose = new Map<Element, number>();
  let text = '';
  let runBlock: Element | null = null;
  const close = () => {
    const collapsed = text.replace(/\s+/g, ' ').trim();
    if (runBlock && collapsed.length >= PROSE_RUN) {
      runs.push({ block: runBlock, text: collapsed });
      for (let el: Element | null = runBlock; el && el !== root; el = el.parentElement) prose.set(el, (prose.get(el) ?? 0) + collapsed.length);
    }
    text = '';
  };
  const visit = (node: Element, block: Element) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        if (block !== runBlock) {
          close();
          runBlock = block;
        }
        text += (child as Text).data;
      } else if (child.nodeType === 1) {
        const tag = (child as Element).tagName;
        if (NOT_PROSE.has(tag)) continue;
        visit(child as Element, INLINE_ELEMENT.test(tag) ? block : (child as Element));
      }
    }
  };
  visit(root, root);
  close();
  return { runs, prose };
}
