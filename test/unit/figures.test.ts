import { describe, expect, it } from 'vitest';
import { isUselessAlt, splitCredit } from '../../src/extract/figures.js';
import { sameWords } from '../../src/model/text.js';
import { extract, loadBytes } from '../../src/index.js';
import type { Block, FigureBlock } from '../../src/index.js';

const body = (html: string) => `<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><article><h1>A headline for the test</h1>${html}<p>${'Body text that makes this an article. '.repeat(12)}</p><p>${'More words in a second paragraph. '.repeat(10)}</p></article></body></html>`;
const figures = (html: string): FigureBlock[] => extract(loadBytes(Buffer.from(body(html)), { name: 't', url: 'https://example.org/a/b.html' })).blocks.filter((b): b is FigureBlock => b.kind === 'figure');

describe('alt text', () => {
  it.each(['', 'IMG_2041.jpg', 'DSC01234', 'image', 'Photo', 'placeholder', 'https://x.org/a.png', 'hero-1600x900.webp', '20160831', '-', '2013_haze_in_Singapore_a', 'global_affiliates_map'])('treats %j as no description', (alt) => {
    expect(isUselessAlt(alt)).toBe(true);
  });
  it.each(['US Secretary of State John Kerry.', 'A dog on a bench', 'Image of a viaduct at dusk', 'Essen-Westviertel', 'COP26'])('keeps %j', (alt) => {
    expect(isUselessAlt(alt)).toBe(false);
  });
  it('compares alt and caption loosely', () => {
    expect(sameWords('US Secretary of State John Kerry.', 'us secretary of state  John Kerry')).toBe(true);
    expect(sameWords('A dog', 'A dog on a bench')).toBe(false);
  });
});

describe('credits', () => {
  it.each([
    ['Headstone Viaduct. Photo: Tom Ashworth', 'Headstone Viaduct.', 'Tom Ashworth'],
    ['Protesters in Delhi (Reuters)', 'Protesters in Delhi', 'Reuters'],
    ['US Secretary of State John Kerry. Adnan Abidi/Reuters', 'US Secretary of State John Kerry.', 'Adnan Abidi/Reuters'],
    ['A quiet street. © Jane Doe', 'A quiet street.', 'Jane Doe'],
    ['فريق الترميم. تصوير: كريم منصور', 'فريق الترميم.', 'كريم منصور'],
  ])('splits %j', (caption, rest, credit) => {
    expect(splitCredit(caption)).toEqual({ caption: rest, credit });
  });
  it('does not take ordinary words for a credit', () => {
    expect(splitCredit('A mural shows the image of Gandhi')).toEqual({ caption: 'A mural shows the image of Gandhi' });
  });
});

describe('figures from page markup', () => {
  it('keeps alt, caption and a labelled credit, and marks a caption that repeats the alt', () => {
    const [figure] = figures('<figure><img src="/k.jpg" alt="US Secretary of State John Kerry."><figcaption><span class="caption">US Secretary of State John Kerry.</span> <span class="image-credit">Adnan Abidi/Reuters</span></figcaption></figure>');
    expect(figure).toMatchObject({ image: { src: 'https://example.org/k.jpg', alt: 'US Secretary of State John Kerry.' }, credit: 'Adnan Abidi/Reuters', captionRepeatsAlt: true, needsDescription: false });
  });
  it('never takes a photo credit classed "author" for the byline', () => {
    const doc = extract(loadBytes(Buffer.from(body('<figure><img src="/k.jpg" alt="A river"><figcaption>The river. <span class="author">Jane Roe/AP</span></figcaption></figure>')), { name: 't', url: 'https://example.org/' }));
    expect(doc.meta.byline).toBeUndefined();
    expect((doc.blocks.find((b) => b.kind === 'figure') as FigureBlock).credit).toBe('Jane Roe/AP');
  });
  it('turns a WordPress wp-caption into a figure with its caption and credit', () => {
    const [figure] = figures('<div class="wp-caption"><img src="/v.jpg" alt="Five stone arches over a river"><p class="wp-caption-text">Headstone Viaduct. Photo: Tom Ashworth</p></div>');
    expect(figure).toMatchObject({ image: { alt: 'Five stone arches over a river' }, credit: 'Tom Ashworth', captionRepeatsAlt: false });
  });
  it('loads lazy images from data-src and data-srcset, not the placeholder', () => {
    const [figure] = figures('<figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/big.jpg" data-srcset="/s.jpg 300w, /big.jpg 1024w" alt="A tunnel"><figcaption>Inside the tunnel</figcaption></figure>');
    expect(figure?.image.src).toBe('https://example.org/big.jpg');
    expect(figure?.image.srcset).toBe('https://example.org/s.jpg 300w, https://example.org/big.jpg 1024w');
  });
  it('drops a file-name alt and flags an image nothing describes, without inventing text', () => {
    const [figure] = figures('<p><img src="/IMG_1.jpg" alt="IMG_1.jpg" width="800" height="600"></p>');
    expect(figure).toMatchObject({ needsDescription: true, image: { alt: '' } });
    const doc = extract(loadBytes(Buffer.from(body('<p><img src="/IMG_1.jpg" alt="IMG_1.jpg" width="800"></p>')), { name: 't', url: 'https://example.org/' }));
    expect(doc.findings.map((f) => f.code)).toEqual(['clearcopy/needs-human-description']);
  });
  it('drops tracking pixels and images the author marked decorative', () => {
    expect(figures('<p><img src="/pixel.gif" width="1" height="1" alt=""><img src="/divider.png" alt=""></p>')).toEqual([]);
  });
  it('refuses javascript: and data:text/html image sources (the figure keeps its words, without the image)', () => {
    const found = figures('<figure><img src="javascript:alert(1)" alt="x y"></figure><figure><img src="data:text/html,<script>alert(1)</script>" alt="z w"></figure>');
    expect(found.map((f) => [f.image.src, f.image.alt, f.imageLeftOut])).toEqual([['', 'x y', true], ['', 'z w', true]]);
    expect(figures('<figure><img src="javascript:alert(1)" alt=""></figure>')).toEqual([]);
  });
});

describe('figures Readability or a clean-up step used to lose (readability-pages misses)', () => {
  const shot = (n: number) => `<li><div class="wp-caption aligncenter"><a href="https://example.org/shot-${n}.png"><img class="size-full wp-image-${n}" src="https://example.org/shot-${n}.png" alt="Screenshot ${n} of the bug table"></a><p class="wp-caption-text">The caption of screenshot ${n}</p></div></li>`;

  it('keeps a list of captioned screenshots (a caption stays a paragraph inside the figcaption)', () => {
    const doc = extract(loadBytes(Buffer.from(body(`<ul><li><b>Fission</b> is done.<ul>${shot(1)}${shot(2)}${shot(3)}</ul></li></ul>`)), { name: 't', url: 'https://example.org/a/b.html' }));
    const found: FigureBlock[] = [];
    const visit = (blocks: Block[]) => blocks.forEach((b) => (b.kind === 'figure' ? found.push(b) : b.kind === 'list' ? b.items.forEach(visit) : undefined));
    visit(doc.blocks);
    expect(found.map((f) => f.image.alt)).toEqual(['Screenshot 1 of the bug table', 'Screenshot 2 of the bug table', 'Screenshot 3 of the bug table']);
    expect(found.map((f) => f.caption?.map((n) => ('value' in n ? n.value : '')).join(''))).toEqual(['The caption of screenshot 1', 'The caption of screenshot 2', 'The caption of screenshot 3']);
  });

  it('keeps a photo put inside a heading (and its link), after the heading', () => {
    const doc = extract(loadBytes(Buffer.from(body('<h2>The editions caused controversy <a href="https://example.org/big.jpg"><img class="size-full" src="https://example.org/han.jpg" alt="Han Solo in the cantina"></a></h2>')), { name: 't', url: 'https://example.org/a/b.html' }));
    const index = doc.blocks.findIndex((b) => b.kind === 'heading' && b.level === 2);
    expect(doc.blocks[index + 1]).toMatchObject({ kind: 'figure', image: { src: 'https://example.org/han.jpg', alt: 'Han Solo in the cantina' } });
  });

  it('reads the address out of a JSON lazy-loading attribute, and the words out of markup in alt', () => {
    const json = JSON.stringify({ default: { load: 'default', w: '73', src: '//img.example.net/entity/AAkk5fh.img?h=410&w=728' }, size2column: { src: '//img.example.net/small.img' } }).replace(/"/g, '&quot;');
    const [figure] = figures(`<p><img alt="&lt;span style=&quot;font-size:13px;&quot;&gt;A console on a desk&lt;/span&gt;" data-src="${json}" width="728" height="410"></p>`);
    expect(figure?.image.src).toBe('https://img.example.net/entity/AAkk5fh.img?h=410&w=728');
    expect(figure?.image.alt).toBe('A console on a desk');
  });

  it('keeps a JPEG photo standing alone whose CMS wrote alt="" and flags it for a description, but drops a GIF spacer', () => {
    const found = figures('<p align="center"><img src="./W0201703.jpg" alt=""></p><p align="center"><img src="./spacer.gif" alt=""></p>');
    expect(found.map((f) => [f.image.src, f.needsDescription])).toEqual([['https://example.org/a/W0201703.jpg', true]]);
  });

  it('keeps a figure inside a click-to-enlarge button, and still drops a share button', () => {
    const found = figures('<div role="button"><figure><img src="https://example.org/vision.png" alt="The headset on a table" width="1200" height="675"></figure></div><div role="button"><img src="https://example.org/share.png" alt="Share on Facebook" width="300" height="300"></div>');
    expect(found.map((f) => f.image.alt)).toEqual(['The headset on a table']);
  });
});

describe('a figure says its words once (figure-words-once)', () => {
  const skipped = (html: string): FigureBlock[] => extract(loadBytes(Buffer.from(body(html)), { name: 't', url: 'https://example.org/a/b.html' }), { skipSteps: ['figure-words-once'] }).blocks.filter((b): b is FigureBlock => b.kind === 'figure');
  it('reads a caption that says all the alt text says, and more, once', () => {
    const html = '<figure><img src="/t.jpg" alt="Will Smith, Sohn, Trey"><figcaption>Will Smith mit seinem ältesten Sohn Trey.</figcaption></figure>';
    expect(figures(html)[0]).toMatchObject({ image: { alt: 'Will Smith mit seinem ältesten Sohn Trey.' }, captionRepeatsAlt: true });
    expect(skipped(html)[0]).toMatchObject({ image: { alt: 'Will Smith, Sohn, Trey' }, captionRepeatsAlt: false });
  });
  it('keeps alt text and caption that say different things', () => {
    const [figure] = figures('<figure><img src="/t.jpg" alt="Five stone arches over a river"><figcaption>Headstone Viaduct, built in 1863.</figcaption></figure>');
    expect(figure).toMatchObject({ image: { alt: 'Five stone arches over a river' }, captionRepeatsAlt: false });
  });
  it('takes a gallery control and a shop button out of the caption, not the words around them', () => {
    const [figure] = figures('<figure><img src="/m.jpg" alt="Firmengeflecht"><figcaption>Das Geflecht der Firmen. Zum Vergrößern auf das Bild klicken. 595,00 € Zum Shop</figcaption></figure>');
    expect(figure!.caption && JSON.stringify(figure!.caption)).not.toMatch(/Vergrößern|Shop/);
    expect(JSON.stringify(figure!.caption)).toMatch(/Das Geflecht der Firmen\. 595,00 €/);
  });
  it('drops a credit the caption already gives with its label, never a name the caption shows', () => {
    const credited = figures('<figure><img src="/c.jpg" alt="Eine Präsidentin"><figcaption>Die neue Präsidentin nach der Wahl. Foto: DCV / Oppitz <span class="credit">DCV / Oppitz</span></figcaption></figure>')[0]!;
    expect(credited.credit).toBeUndefined();
    expect(skipped('<figure><img src="/c.jpg" alt="Eine Präsidentin"><figcaption>Die neue Präsidentin nach der Wahl. Foto: DCV / Oppitz <span class="credit">DCV / Oppitz</span></figcaption></figure>')[0]!.credit).toBe('DCV / Oppitz');
    const pictured = figures('<figure><img src="/c.jpg" alt="Zwei Frauen"><figcaption>Maria Tillessen und Alexandra Sackmann von den Wirtschaftsweibern. <span class="credit">Alexandra Sackmann</span></figcaption></figure>')[0]!;
    expect(pictured.credit).toBe('Alexandra Sackmann');
  });
});
