import type { Element, ElementContent } from 'hast';
import { directionOf } from './metadata.js';

/** Elements whose content is phrasing content: they keep their own `lang` through the inline sanitizer. */
const PHRASING = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'img', 'ins', 'kbd', 'label',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr', 'big', 'nobr', 'picture',
]);

/**
 * WCAG 3.1.2, Language of Parts: a block the page marks as another language (`<p lang="en">`,
 * `<blockquote lang="fr">`, `<div lang="la">` around paragraphs) becomes typed blocks that have no
 * attributes, so its `lang` (and `dir`) is carried into its text: each run of inline content
 * under it is wrapped in `<span lang dir>`, which the inline sanitizer keeps. Inline elements keep their own.
 */
export function carryPartLanguage(nodes: readonly ElementContent[], inherited?: Marks, page: Marks | undefined = inherited): ElementContent[] {
  return nodes.map((node) => {
    if (node.type !== 'element' || PHRASING.has(node.tagName)) return node;
    const own = languageOf(node);
    const marks = own.lang || own.dir ? { ...inherited, ...own } : inherited;
    const children = carryPartLanguage(node.children, marks, page);
    // Only text in another language than the page's (the copy's) needs a span.
    const pageDir = page?.dir ?? (page?.lang ? directionOf(page.lang) : 'ltr');
    const other = marks && (marks.lang?.toLowerCase() !== page?.lang?.toLowerCase() || (marks.dir !== undefined && marks.dir !== pageDir));
    return { ...node, children: other ? wrapInlineRuns(children, marks) : children };
  });
}

interface Marks { lang?: string; dir?: string }

function languageOf(element: Element): { lang?: string; dir?: string } {
  const lang = typeof element.properties.lang === 'string' && element.properties.lang.trim() ? element.properties.lang.trim() : undefined;
  const dir = typeof element.properties.dir === 'string' && /^(ltr|rtl)$/i.test(element.properties.dir) ? element.properties.dir.toLowerCase() : undefined;
  return { ...(lang ? { lang } : {}), ...(dir ? { dir } : {}) };
}

function wrapInlineRuns(children: ElementContent[], marks: { lang?: string; dir?: string }): ElementContent[] {
  const out: ElementContent[] = [];
  let run: ElementContent[] = [];
  const flush = () => {
    if (run.some((node) => node.type === 'element' ? node.tagName !== 'br' : node.type === 'text' && /\S/.test(node.value))) {
      out.push({ type: 'element', tagName: 'span', properties: { ...(marks.lang ? { lang: marks.lang } : {}), ...(marks.dir ? { dir: marks.dir } : {}) }, children: run });
    } else out.push(...run);
    run = [];
  };
  for (const child of children) {
    // Images stay where extraction looks for them (a figure of their own), outside the span.
    if (child.type === 'text' || (child.type === 'element' && PHRASING.has(child.tagName) && child.tagName !== 'img' && child.tagName !== 'picture')) run.push(child);
    else {
      flush();
      out.push(child);
    }
  }
  flush();
  return out;
}
