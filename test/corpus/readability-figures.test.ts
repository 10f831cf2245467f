// Figures on Readability's own test pages (../shared/corpus/readability-pages/*/): every content image
// that Readability's expected.html keeps should be in clearcopy's copy, with its alt text.
// Counted images: http(s) images; left out by design (and counted separately): icons, flags and
// avatars (48 px or less, or so named: clearcopy drops icons) and images whose source is not an
// http(s) URL (file:///C:/…, SVG data: URLs, which clearcopy refuses to embed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extract, loadBytes } from '../../src/index.js';
import type { Block, FigureBlock } from '../../src/index.js';
import { isUselessAlt } from '../../src/extract/figures.js';
import { sameWords } from '../../src/model/text.js';
import { SHARED } from '../helpers.js';

const PAGES = SHARED && path.join(SHARED, 'corpus', 'readability-pages');
const PAGE_URL = 'http://fakehost/test/page.html'; // the URL Readability's test suite parses these pages with

/** An image path without size suffix or query, lower-cased: the same picture at another size matches. */
const key = (src: string) => {
  try {
    return decodeURIComponent(new URL(src, PAGE_URL).pathname).replace(/[-_]\d+x\d+(?=\.\w+$)/, '').toLowerCase();
  } catch {
    return src;
  }
};
const sources = (src: string | null | undefined, srcset: string | null | undefined) =>
  [src ?? '', ...(srcset ?? '').split(',').map((part) => part.trim().split(/\s+/)[0] ?? '')].filter(Boolean).map(key);
const isIcon = (img: Element) => {
  const width = Number.parseFloat(img.getAttribute('width') ?? '');
  const height = Number.parseFloat(img.getAttribute('height') ?? '');
  return width <= 48 || height <= 48 || /avatar|gravatar|icon|emoji/i.test(`${img.getAttribute('src')} ${img.getAttribute('class')}`);
};

/**
 * The author marked it decorative (alt="") and it is no photograph (PNG, GIF, SVG: logos,
 * illustrations beside text that says the same): clearcopy respects alt="" for these (a JPEG with
 * alt="" is taken for a photo whose CMS wrote no alt, kept, and flagged for a description).
 */
const isAuthorDecorative = (img: Element) => img.getAttribute('alt') === '' && !/\.(jpe?g|webp|avif)(?:[?#]|$)/i.test(img.getAttribute('src') ?? '');

describe.skipIf(!PAGES || !existsSync(PAGES))('figures on the Readability test pages', () => {
  it('keeps the images Readability keeps, with their alt text', () => {
    let expected = 0;
    let kept = 0;
    let altKept = 0;
    let leftOut = 0;
    let decorative = 0;
    const misses: string[] = [];
    for (const name of readdirSync(PAGES!).sort()) {
      const expectedHtml = path.join(PAGES!, name, 'expected.html');
      if (!existsSync(expectedHtml)) continue;
      const { document } = new JSDOM(readFileSync(expectedHtml, 'utf8'), { url: PAGE_URL, virtualConsole: new VirtualConsole() }).window;
      const images = [...document.querySelectorAll('img')].filter((img) => img.getAttribute('src') || img.getAttribute('srcset')).filter((img) => {
        const counted = /^https?:/.test(new URL(img.getAttribute('src') ?? '', PAGE_URL).href) && !isIcon(img);
        if (!counted) leftOut++;
        else if (isAuthorDecorative(img)) decorative++;
        return counted && !isAuthorDecorative(img);
      });
      if (images.length === 0) continue;
      const figures: FigureBlock[] = [];
      try {
        const doc = extract(loadBytes(readFileSync(path.join(PAGES!, name, 'source.html')), { name, url: PAGE_URL, transportCharset: 'utf-8' }));
        const visit = (blocks: Block[]) => {
          for (const b of blocks) {
            if (b.kind === 'figure') figures.push(b);
            if (b.kind === 'list') b.items.forEach(visit);
            if (b.kind === 'quote') visit(b.blocks);
          }
        };
        visit(doc.blocks);
      } catch (error) {
        misses.push(`${name}: ${(error as Error).message}`);
      }
      const used = new Set<FigureBlock>();
      for (const img of images) {
        expected++;
        const wanted = sources(img.getAttribute('src'), img.getAttribute('srcset'));
        // The same image may be shown twice with different alt text: each expected image takes its own
        // figure, the one with its alt text when there is one. The same picture twice in a row with the
        // same alt is shown once (the duplicate-figures step): both count as kept by that one figure.
        const matching = figures.filter((f) => sources(f.image.src, f.image.srcset).some((k) => wanted.includes(k)));
        const expectedAlt = (img.getAttribute('alt') ?? '').trim();
        const sameAlt = (f: FigureBlock) => expectedAlt === f.image.alt.trim() || sameWords(expectedAlt, f.image.alt);
        const figure = matching.find((f) => !used.has(f) && sameAlt(f)) ?? matching.find((f) => !used.has(f)) ?? matching.find(sameAlt);
        if (figure) used.add(figure);
        if (!figure) {
          misses.push(`${name}: missing ${img.getAttribute('src')?.slice(0, 90)}`);
          continue;
        }
        kept++;
        // Alt is plain text: markup some CMSs write into it is compared by its words.
        const alt = (img.getAttribute('alt') ?? '').replace(/<\/?[a-z][^<>]*>/gi, ' ').replace(/\s+/g, ' ').trim();
        const said = `${figure.image.alt} ${figure.description ?? ''}`;
        // Kept: the same words, or every word of it said (a credit in the alt is said as "Photo: …").
        const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
        const heard = new Set(words(`${said} ${figure.credit ?? ''} photo by credit`));
        if (isUselessAlt(alt) || sameWords(alt, figure.image.alt) || said.includes(alt) || words(alt).every((w) => heard.has(w))) altKept++;
        else misses.push(`${name}: alt "${alt.slice(0, 60)}" became "${figure.image.alt.slice(0, 60)}"`);
      }
    }
    console.log(`readability-pages figures: ${kept} of ${expected} content images kept, ${altKept} with their alt text (${leftOut} icons / non-http images and ${decorative} non-photo images the author marked decorative (alt="") left out)\n  ${misses.join('\n  ')}`);
    expect(expected).toBeGreaterThan(400);
    // Known shortfall (see the misses printed above): hold the line at 97 % and at every kept alt text.
    expect(kept / expected).toBeGreaterThanOrEqual(0.99);
    expect(altKept / kept).toBeGreaterThanOrEqual(0.995);
  }, 600_000);
});
