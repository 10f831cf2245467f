// Every bundled sample against its expectations file, through the real pipeline (Readability on
// jsdom, Handlebars templates): what must be in the copy, in order, and what must not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extract, loadFile, loadTemplates, renderCopy } from '../src/index.js';
import { localizerOf } from '../src/render/html.js';
import { collapse, occurrences, parse, readableText, SAMPLES } from './helpers.js';

interface Expectations {
  title: string;
  dek?: string;
  byline?: string;
  published?: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  figures: number;
  figureTexts?: string[];
  credits?: string[];
  inOrder: string[];
  mustContain?: string[];
  mustNotContain?: string[];
  atMostOnce?: string[];
  exactlyOnce?: string[];
}

const samples = readdirSync(SAMPLES).filter((file) => file.endsWith('.html'));
const templates = loadTemplates();

describe.each(samples)('sample %s', (file) => {
  const expected = JSON.parse(readFileSync(path.join(SAMPLES, file.replace(/\.html$/, '.expected.json')), 'utf8')) as Expectations;
  const copy = (async () => renderCopy(extract(await loadFile(path.join(SAMPLES, file))), templates))();

  it('has the headline as its only h1, language and direction', async () => {
    const { html, doc } = await copy;
    const document = parse(html);
    const h1s = [...document.querySelectorAll('h1')].map((h) => collapse(h.textContent ?? ''));
    expect(h1s).toEqual([expected.title]);
    expect(document.documentElement.getAttribute('lang')).toBe(expected.lang);
    expect(document.documentElement.getAttribute('dir')).toBe(expected.dir);
    expect(document.querySelectorAll('main')).toHaveLength(1);
    expect(document.querySelector('script, iframe, object, embed, form, [onclick], [onload], [onerror]')).toBeNull();
    if (expected.dek) expect(doc.meta.dek).toBe(expected.dek);
    if (expected.byline) expect(doc.meta.byline).toContain(expected.byline);
    if (expected.published) expect(doc.meta.published?.slice(0, 10)).toBe(expected.published);
  });

  it('keeps every figure with a description and its credit, each said once', async () => {
    const { html, text, doc } = await copy;
    const document = parse(html);
    // clearcopy's words in the article's language ("[Image: …", "[صورة: …").
    const ui = localizerOf(doc, templates);
    expect(document.querySelectorAll('figure')).toHaveLength(expected.figures);
    expect(occurrences(text, ui.text('figure.textLine', { description: '' }).replace(/\]$/, '').trim())).toBe(expected.figures);
    for (const img of document.querySelectorAll('figure img')) {
      const alt = img.getAttribute('alt');
      expect(alt).not.toBeNull();
      expect(alt).not.toMatch(/\.(jpe?g|png|gif|webp)$/i);
    }
    const readable = readableText(html);
    const spoken = collapse(text);
    for (const words of expected.figureTexts ?? []) {
      expect(readable).toContain(words);
      expect(spoken).toContain(words);
    }
    for (const credit of expected.credits ?? []) {
      expect(occurrences(readable, credit), credit).toBe(1);
      expect(occurrences(spoken, credit), credit).toBe(1);
      const label = [...document.querySelectorAll('.credit')].find((el) => el.textContent?.includes(credit));
      expect(collapse(label?.textContent ?? '')).toBe(ui.text('figure.credit', { credit }));
    }
  });

  it.each(['html', 'text'] as const)('has the body in order and none of the clutter (%s copy)', async (kind) => {
    const { html, text } = await copy;
    const content = kind === 'html' ? readableText(html) : collapse(text);
    let from = 0;
    for (const snippet of expected.inOrder) {
      const at = content.indexOf(snippet, from);
      expect(at, `"${snippet}" after position ${from}`).toBeGreaterThanOrEqual(0);
      from = at + snippet.length;
    }
    for (const needed of expected.mustContain ?? []) expect(content).toContain(needed);
    for (const banned of expected.mustNotContain ?? []) expect(content, banned).not.toContain(banned);
    for (const rare of expected.atMostOnce ?? []) expect(occurrences(content, rare), rare).toBeLessThanOrEqual(1);
    for (const once of expected.exactlyOnce ?? []) expect(occurrences(content, once), once).toBe(1);
  });

  it('writes a text copy without markup or entities, wrapped at 80 columns', async () => {
    const { text } = await copy;
    // Structural markup from the page never reaches the text (code that mentions a tag is text).
    expect(text).not.toMatch(/<\/?(p|div|span|a|img|figure|figcaption|h[1-6]|ul|ol|li|table|tr|td|th|br|em|strong|script|style)\b[^>]*>/i);
    expect(text).not.toMatch(/&(#\d+|#x[0-9a-f]+|[a-z]+);/i);
    expect(text.split('\n')[0]).toBe(expected.title.length <= 80 ? expected.title : expect.any(String));
    for (const line of text.split('\n')) {
      if (!/^\s{4}|https?:\/\//.test(line) && !/\S{40,}/.test(line)) expect([...line].length, line).toBeLessThanOrEqual(80);
    }
  });
});
