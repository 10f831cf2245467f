import type { ElementContent } from 'hast';
import { tidyLinks } from '../model/links.js';
import { toHtml } from 'hast-util-to-html';

/** Serialises sanitised inline content to HTML (the only HTML clearcopy inserts unescaped). */
export function inlineHtml(nodes: readonly ElementContent[]): string {
  return toHtml({ type: 'root', children: tidyLinks(nodes) });
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
