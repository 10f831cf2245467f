import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';

/** Serialises sanitised inline content to HTML (the only HTML clearcopy inserts unescaped). */
export function inlineHtml(nodes: readonly ElementContent[]): string {
  return toHtml({ type: 'root', children: tidyLinks(nodes) });
}

/**
 * Links as a screen reader should meet them: a link to a fragment of the original page (its ids are
 * gone from the copy) or with no text becomes plain text, and adjacent links to the same address
 * (an image link beside its caption link, split markup) become one link.
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
      const href = typeof node.properties.href === 'string' ? node.properties.href : '';
      if (!href || href.startsWith('#') || !hasText(children)) {
        out.push(...children);
        continue;
      }
      const previous = lastLinkBefore(out);
      if (previous && previous.link.properties.href === href) {
        out.splice(previous.index + 1); // drop the whitespace between the two links
        previous.link.children.push(...(previous.gap ? [{ type: 'text', value: ' ' } as ElementContent] : []), ...children);
        continue;
      }
    }
    out.push({ ...node, children });
  }
  return out;
}

/** The last output node if it is a link, possibly followed by whitespace only. */
function lastLinkBefore(out: ElementContent[]): { link: Element; index: number; gap: boolean } | undefined {
  let index = out.length - 1;
  let gap = false;
  while (index >= 0 && out[index]!.type === 'text' && !/\S/.test((out[index] as { value: string }).value)) {
    gap = true;
    index--;
  }
  const node = out[index];
  return node?.type === 'element' && node.tagName === 'a' ? { link: node, index, gap } : undefined;
}

function hasText(nodes: readonly ElementContent[]): boolean {
  return nodes.some((n) => (n.type === 'text' ? /\S/.test(n.value) : n.type === 'element' ? hasText(n.children) : false));
}

/** Options for {@link inlineText}. */
export interface InlineTextOptions {
  /** Called for each link with a target; returns a marker to append after the link text (e.g. "[3]"). */
  onLink?: (href: string, text: string) => string | undefined;
}

/** Plain text of inline content: text only, `<br>` as a newline, link targets never inline. */
export function inlineText(nodes: readonly ElementContent[], options: InlineTextOptions = {}): string {
  let out = '';
  const visit = (list: readonly ElementContent[]) => {
    for (const node of list) {
      if (node.type === 'text') out += node.value;
      else if (node.type === 'element') {
        if (node.tagName === 'br') {
          out += '\n';
          continue;
        }
        const start = out.length;
        visit(node.children);
        if (node.tagName === 'a' && typeof node.properties.href === 'string' && options.onLink) {
          const marker = options.onLink(node.properties.href, out.slice(start).trim());
          if (marker) out += marker;
        }
      }
    }
  };
  visit(tidyLinks(nodes));
  return out.replace(/[ \t\f\r]+/g, ' ').replace(/ *\n */g, '\n').trim();
}
