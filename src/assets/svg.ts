// SVG made inert before a copy shows it: an SVG file can carry script, event handlers, links,
// embedded HTML and references to other files. Only drawing is kept; anything that could run or
// reach out is removed. (Shown through <img>, a browser would not run it either; the file is also
// safe when opened by itself.)
import { JSDOM } from 'jsdom';

/** Elements removed with everything in them. */
const DROPPED = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'audio', 'video', 'canvas', 'handler', 'listener', 'set', 'animate', 'animatemotion', 'animatetransform', 'discard']);

/** True when the bytes start like an SVG document (after an XML declaration, comments and a doctype). */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>\s*)*<svg[\s>]/i.test(head);
}

/**
 * Returns the SVG with only its drawing: no script, event handler, link, animation, embedded HTML,
 * external reference (`href` other than `#id`, `url()` other than `url(#id)`, `@import`),
 * processing instruction or doctype. Undefined when the bytes are not a well-formed SVG document.
 */
export function sanitizeSvg(bytes: Uint8Array): string | undefined {
  let document: Document;
  try {
    document = new JSDOM(Buffer.from(bytes).toString('utf8').replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/i, ''), { contentType: 'image/svg+xml' }).window.document;
  } catch {
    return undefined;
  }
  const root = document.documentElement;
  if (root.localName !== 'svg' || root.namespaceURI !== 'http://www.w3.org/2000/svg') return undefined;
  const clean = (node: Node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === 7 || child.nodeType === 8 || child.nodeType === 10) {
        child.remove(); // processing instructions, comments, doctypes
        continue;
      }
      if (child.nodeType !== 1) continue;
      const el = child as Element;
      if (DROPPED.has(el.localName.toLowerCase()) || el.namespaceURI !== 'http://www.w3.org/2000/svg') {
        el.remove();
        continue;
      }
      if (el.localName === 'a') {
        // A link: its drawing stays, the link goes.
        clean(el);
        el.replaceWith(...el.childNodes);
        continue;
      }
      cleanAttributes(el);
      if ((el.localName === 'image' || el.localName === 'use') && !el.hasAttribute('href') && !el.hasAttributeNS('http://www.w3.org/1999/xlink', 'href')) {
        el.remove(); // pointed outside the file
        continue;
      }
      if (el.localName === 'style') {
        el.textContent = (el.textContent ?? '').replace(/@import[^;]*;?/gi, '').replace(/url\(\s*['"]?(?!#)[^)]*\)/gi, 'none');
        continue;
      }
      clean(el);
    }
  };
  for (const child of [...document.childNodes]) if (child !== root) child.remove();
  cleanAttributes(root);
  clean(root);
  return new (document.defaultView!.XMLSerializer)().serializeToString(root);
}

/** Removes event handlers, references outside the file and anything script-like from an element's attributes. */
function cleanAttributes(el: Element): void {
  for (const attr of [...el.attributes]) {
    const name = attr.localName.toLowerCase();
    const value = attr.value.trim();
    if (name.startsWith('on')
      || ((name === 'href' || name === 'src') && !value.startsWith('#'))
      || /url\(\s*['"]?(?!#)/i.test(value)
      || /javascript:|expression\(|@import/i.test(value)) {
      el.removeAttributeNode(attr);
    }
  }
}
