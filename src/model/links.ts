// Links as a screen reader should meet them, for normalisation and rendering alike.
import type { Element, ElementContent } from 'hast';

/**
 * Links as a screen reader should meet them: a link to a fragment of the original page (its ids are
 * gone from the copy) or with no text becomes plain text, and adjacent links to the same address
 * (an image link beside its caption link, split markup) become one link — also when one of them
 * sits inside emphasis or a `<span>` (a word split over two links: `<a>shift</a><span><a>ed</a> …</span>`).
 */
export function tidyLinks(nodes: readonly ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type !== 'element') {
      out.push(node);
      continue;
    }
    const children = tidyLinks(node.children);
    if (node.tagName === 'a') {
      const href = linkTarget(node);
      if (!href || !hasText(children)) {
        out.push(...children);
        continue;
      }
      const previous = edgeLink(out, 'end');
      if (previous && linkTarget(previous.link) === href) {
        previous.container.splice(previous.index + 1); // drop the whitespace between the two links
        previous.link.children.push(...(previous.gap ? [{ type: 'text', value: ' ' } as ElementContent] : []), ...children);
        continue;
      }
    } else if (INLINE_CONTAINERS.has(node.tagName)) {
      // A link at the very start of this element continues a link that ends just before it.
      const previous = edgeLink(out, 'end');
      const leading = previous ? edgeLink(children, 'start') : undefined;
      if (previous && leading && linkTarget(previous.link) === linkTarget(leading.link)) {
        previous.container.splice(previous.index + 1);
        previous.link.children.push(...(previous.gap || leading.gap ? [{ type: 'text', value: ' ' } as ElementContent] : []), ...leading.link.children);
        leading.container.splice(0, leading.index + 1);
      }
    }
    out.push({ ...node, children });
  }
  return out;
}

/** Inline elements a link can sit at the edge of and still be next to a link outside them. */
const INLINE_CONTAINERS = new Set(['span', 'em', 'strong', 'b', 'i', 'u', 's', 'small', 'mark', 'font', 'bdi', 'bdo', 'cite', 'abbr', 'sub', 'sup', 'del', 'ins', 'code', 'kbd', 'samp', 'var', 'time', 'data', 'dfn']);

function linkTarget(link: Element): string | undefined {
  const href = typeof link.properties.href === 'string' ? link.properties.href : '';
  return href && !href.startsWith('#') ? href : undefined;
}

/**
 * The link at the start or end of inline content, past whitespace and into inline containers:
 * the array holding it, its index there, and whether whitespace was passed on the way.
 */
function edgeLink(nodes: ElementContent[], edge: 'start' | 'end'): { link: Element; container: ElementContent[]; index: number; gap: boolean } | undefined {
  let gap = false;
  let container = nodes;
  for (;;) {
    let index = edge === 'end' ? container.length - 1 : 0;
    const step = edge === 'end' ? -1 : 1;
    while (index >= 0 && index < container.length && container[index]!.type === 'text' && !/\S/.test((container[index] as { value: string }).value)) {
      gap = true;
      index += step;
    }
    const node = container[index];
    if (node?.type !== 'element') return undefined;
    if (node.tagName === 'a') return linkTarget(node) && hasText(node.children) ? { link: node, container, index, gap } : undefined;
    if (!INLINE_CONTAINERS.has(node.tagName)) return undefined;
    container = node.children;
  }
}

function hasText(nodes: readonly ElementContent[]): boolean {
  return nodes.some((n) => (n.type === 'text' ? /\S/.test(n.value) : n.type === 'element' ? hasText(n.children) : false));
}
