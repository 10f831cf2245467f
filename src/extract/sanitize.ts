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

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Makes every link in the article absolute against the page's address, in place. Readability
 * resolves links against the document's base, and leaves a link relative when that base is unusable
 * (`<base href="javascript:…">` in hostile or broken pages); a relative link in a copy, which lives
 * at another address, would lead nowhere. A link that cannot be made an http(s) or mailto address
 * is unwrapped: its words stay, the dead link goes. In-page links (`#…`) are left as they are.
 */
export function resolveLinks(nodes: ElementContent[], pageUrl: string | undefined): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type !== 'element') {
      out.push(node);
      continue;
    }
    node.children = resolveLinks(node.children, pageUrl);
    const href = node.tagName === 'a' ? node.properties.href : undefined;
    if (typeof href !== 'string' || href.trim().startsWith('#')) {
      out.push(node);
      continue;
    }
    const resolved = absoluteLink(href, pageUrl);
    if (resolved) {
      node.properties.href = resolved;
      out.push(node);
    } else {
      out.push(...node.children);
    }
  }
  return out;
}

function absoluteLink(href: string, pageUrl: string | undefined): string | undefined {
  try {
    const url = pageUrl ? new URL(href.trim(), pageUrl) : new URL(href.trim());
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
