// An original page's own stylesheets, from where the page came from (the web archive, the MHTML
// file, the saved page's folder), written into it as <style> elements, so the audit of the
// original sees the page as it was styled, with nothing fetched: colours, hidden content, sizes.
import { pathToFileURL } from 'node:url';
import { findResource } from '../assets/resolve.js';
import type { Source } from '../model/document.js';
import type { StylesheetsFound } from '../model/run-result.js';

/** The largest stylesheet read (a page's CSS is rarely over 1 MB; this keeps a bad record bounded). */
const MAX_STYLESHEET_BYTES = 4 * 1024 * 1024;
/** How deep `@import` chains are followed. */
const MAX_IMPORT_DEPTH = 4;

/**
 * `html` with each `<link rel="stylesheet">` the source's archive, MHTML file or folder holds
 * replaced by a `<style>` with its CSS (its `@import`s written in, its `url()`s made absolute, its
 * `media` kept). Links not at hand stay as they are (the audit browser blocks their requests).
 * A page with no resource origin (a live URL) is returned unchanged.
 */
export async function withOwnStylesheets(html: string, source: Pick<Source, 'resources' | 'url' | 'path' | 'capturedAt'>): Promise<{ html: string; stylesheets: StylesheetsFound }> {
  const stylesheets: StylesheetsFound = { found: 0, missing: [] };
  const origin = source.resources;
  const pageUrl = origin?.kind === 'folder' && source.path ? pathToFileURL(source.path).href : source.url;
  if (!origin || !pageUrl) return { html, stylesheets };
  const base = documentBase(html, pageUrl);
  const read = async (url: string): Promise<string | undefined> => {
    const found = await findResource(origin, url, { ...(source.capturedAt ? { near: source.capturedAt } : {}), maxBytes: MAX_STYLESHEET_BYTES });
    return found ? decodeCss(found.bytes) : undefined;
  };
  const inline = async (css: string, sheetUrl: string, depth: number): Promise<string> => {
    let out = '';
    let last = 0;
    for (const match of css.matchAll(IMPORT_RULE)) {
      const href = match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5] ?? '';
      const media = (match[6] ?? '').trim();
      const url = absolute(href, sheetUrl);
      const imported = url && depth < MAX_IMPORT_DEPTH ? await read(url) : undefined;
      out += css.slice(last, match.index);
      last = match.index + match[0].length;
      if (imported === undefined) {
        stylesheets.missing.push(url ?? href);
        out += match[0];
        continue;
      }
      stylesheets.found++;
      const body = await inline(imported, url!, depth + 1);
      out += media && media.toLowerCase() !== 'all' ? `@media ${media} {\n${body}\n}\n` : `${body}\n`;
    }
    return absoluteUrls(out + css.slice(last), sheetUrl);
  };

  let out = '';
  let last = 0;
  for (const match of html.matchAll(LINK_OR_STYLE)) {
    let replacement: string;
    if (match[1] !== undefined) {
      // A <style> element: only its @imports are read in (its own rules already apply).
      if (!/@import/i.test(match[2]!)) continue;
      replacement = `${match[1]}${styleText(await inline(match[2]!, base, 1))}</style>`;
    } else {
      const attributes = attributesOf(match[0]);
      const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
      if (!rel.includes('stylesheet') || rel.includes('alternate') || !attributes.get('href')) continue;
      const url = absolute(attributes.get('href')!, base);
      const css = url ? await read(url) : undefined;
      if (css === undefined) {
        stylesheets.missing.push(url ?? attributes.get('href')!);
        continue;
      }
      stylesheets.found++;
      const media = attributes.get('media');
      replacement = `<style${media ? ` media="${escapeAttribute(media)}"` : ''}>\n${styleText(await inline(css, url!, 1))}\n</style>`;
    }
    out += html.slice(last, match.index) + replacement;
    last = match.index + match[0].length;
  }
  return { html: out + html.slice(last), stylesheets };
}

/** A `<link>` start tag, or a `<style>` element (start tag in group 1, its CSS in group 2). */
const LINK_OR_STYLE = /(<style\b[^>]*>)([^]*?)<\/style\s*>|<link\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const IMPORT_RULE = /@import\s+(?:url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|"([^"]*)"|'([^']*)')([^;]*);/gi;

/** `<link>`'s attributes by lower-case name (HTML entities in values decoded for `&amp;` only). */
function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.slice(5).matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const name = match[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, (match[2] ?? match[3] ?? match[4] ?? '').replace(/&amp;/gi, '&').trim());
  }
  return attributes;
}

/** The document's base URL: its first `<base href>` resolved against the page's address. */
function documentBase(html: string, pageUrl: string): string {
  const tag = /<base\b[^>]*>/i.exec(html);
  const href = tag ? attributesOf(tag[0].replace(/^<base/i, '<link')).get('href') : undefined;
  return (href && absolute(href, pageUrl)) || pageUrl;
}

function absolute(href: string, base: string): string | undefined {
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

/** `url()` references made absolute against the stylesheet's own address (they would resolve against the page's). */
function absoluteUrls(css: string, sheetUrl: string): string {
  return css.replace(/url\(\s*(["']?)([^"')]*)\1\s*\)/gi, (whole, quote: string, href: string) => {
    if (!href || /^(data:|#)/i.test(href)) return whole;
    const url = absolute(href, sheetUrl);
    return url ? `url("${url.replace(/["\\\n]/g, (c) => `\\${c === '\n' ? 'a ' : c}`)}")` : whole;
  });
}

/** A stylesheet's text: its BOM or `@charset` names the encoding, else UTF-8. */
function decodeCss(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 128)).toString('latin1');
  const charset = /^@charset "([^"]+)";/.exec(head)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** CSS as the content of a <style> element: a `</style` in it (in a string or comment) cannot end the element. */
function styleText(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
