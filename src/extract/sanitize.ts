import type { ElementContent, Root } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';

/**
 * The allowlist for inline article content: text-level elements that help a reader, links to
 * http(s)/mailto only, and no ids, classes, styles, event handlers or embedded content.
 * Block structure is rebuilt by clearcopy itself, never copied from the page.
 */
export const INLINE_SCHEMA: Schema = {
  strip: ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'textarea', 'select', 'button'],
  tagNames: ['a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr'],
  attributes: {
    a: ['href', 'hrefLang'],
    abbr: ['title'],
    bdo: ['dir'],
    data: ['value'],
    del: ['dateTime'],
    ins: ['dateTime'],
    time: ['dateTime'],
    '*': ['lang', 'dir'],
  },
  protocols: { href: ['http', 'https', 'mailto'] },
  clobber: [],
  required: {},
  ancestors: {},
};

/** Sanitises a run of inline nodes with {@link INLINE_SCHEMA}; unknown elements are unwrapped, keeping their text. */
export function sanitizeInline(nodes: ElementContent[]): ElementContent[] {
  const root: Root = { type: 'root', children: nodes };
  const clean = sanitize(root, INLINE_SCHEMA) as Root;
  return clean.children as ElementContent[];
}
