// Links between copies: a link in a copy to a page that also has a copy in the same output folder
// points at that copy (relative, fragment kept); every other link keeps its absolute address.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { urlKey } from '../load/archive-index.js';
import { writeFileAtomic } from '../output.js';

/** A copy in the output folder and the address it is a copy of. */
export interface CopyAddress {
  /** The copy's file name in the output folder (`name.html`). */
  file: string;
  /** The page's original address. */
  url: string;
}

/**
 * Rewrites one HTML copy's article links (inside `<article>`, not the "About this copy" section,
 * whose link is the original address) whose target is the address of a copy in `copies`, to that
 * copy's file (`other.html#fragment`). Returns the new HTML and how many links were rewritten.
 */
export function linkCopiesIn(html: string, copies: ReadonlyMap<string, string>): { html: string; rewritten: number } {
  const start = html.indexOf('<article');
  const end = html.lastIndexOf('</article>');
  if (start < 0 || end < start) return { html, rewritten: 0 };
  let rewritten = 0;
  const article = html.slice(start, end).replace(/(<a\b[^>]*?\shref=")([^"]*)(")/g, (whole, before: string, value: string, after: string) => {
    const href = decodeAttribute(value);
    if (!/^https?:/i.test(href)) return whole;
    const hash = href.indexOf('#');
    const file = copies.get(urlKey(hash >= 0 ? href.slice(0, hash) : href));
    if (!file) return whole;
    rewritten++;
    return `${before}${encodeAttribute(encodeURI(file) + (hash >= 0 ? href.slice(hash) : ''))}${after}`;
  });
  return { html: html.slice(0, start) + article + html.slice(end), rewritten };
}

/**
 * Links the copies of an output folder to each other: each copy in `pages` is read, its links to
 * the addresses of `copies` rewritten, and written back atomically when it changed. Returns the
 * links rewritten per copy file.
 */
export async function linkCopies(outDir: string, pages: readonly string[], copies: readonly CopyAddress[]): Promise<Map<string, number>> {
  const byUrl = new Map<string, string>();
  for (const copy of copies) if (!byUrl.has(urlKey(copy.url))) byUrl.set(urlKey(copy.url), copy.file);
  const counts = new Map<string, number>();
  if (byUrl.size === 0) return counts;
  for (const file of pages) {
    const full = path.resolve(outDir, file);
    const html = await readFile(full, 'utf8').catch(() => undefined);
    if (html === undefined) continue;
    const linked = linkCopiesIn(html, byUrl);
    counts.set(file, linked.rewritten);
    if (linked.html !== html) await writeFileAtomic(outDir, file, linked.html);
  }
  return counts;
}

/** Decodes the character references hast-util-to-html writes in attribute values. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|lt|gt|apos);/gi, (_m, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" }[ref.toLowerCase()] ?? '';
  });
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
