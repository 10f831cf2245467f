import { JSDOM, VirtualConsole } from 'jsdom';

/**
 * Parses HTML into a jsdom document with scripts off and no sub-resources loaded.
 * Page CSS is never needed: if jsdom's CSS parser throws on a stylesheet (seen with SCSS left in
 * a `calc()`), the page is parsed again with its `<style>` contents blanked, so a stylesheet can
 * never make extraction fail.
 */
export function parseHtml(html: string, url?: string): Document {
  const virtualConsole = new VirtualConsole(); // swallow jsdom's CSS and parse warnings
  const options = { url: safeDocumentUrl(url), virtualConsole };
  try {
    return new JSDOM(html, options).window.document;
  } catch {
    return new JSDOM(blankStyleElements(html), options).window.document;
  }
}

/** jsdom needs an absolute http(s)/file URL; anything else falls back to about:blank. */
function safeDocumentUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'file:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function blankStyleElements(html: string): string {
  return html.replace(/(<style\b[^>]*>)[\s\S]*?(<\/style\s*>)/gi, '$1$2');
}

/** Whitespace-collapsed text of a node. */
export function textOf(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
