// Bad input (issue 7), below the CLI: pathological nesting is flattened before jsdom builds it, and
// the worker pool stops a page over its time budget without stopping the pages after it.
import { describe, expect, it } from 'vitest';
import { bodyText, extract, loadBytes } from '../../src/index.js';
import { flattenDeepNesting, MAX_NESTING_DEPTH, parseHtml } from '../../src/extract/dom.js';
import { extractAndRender } from '../../src/workers/extract-render.js';
import { openExtractor, workerFile } from '../../src/workers/pool.js';

const PROSE = 'The river rose overnight and the town council met at dawn to decide what to do about the old stone bridge.';
const page = (body: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Deep</title></head><body>${body}</body></html>`;
const deep = (levels: number, tag = 'div') => page(`<article><h1>The bridge</h1>${`<${tag}>`.repeat(levels)}<p>${PROSE}</p><p>${PROSE}</p>${`</${tag}>`.repeat(levels)}</article>`);
const load = (html: string, name = 'deep') => loadBytes(Buffer.from(html), { name, path: `${name}.html` });

/** Depth of the deepest element of a parsed document, walked without recursion. */
function domDepth(document: Document): number {
  let deepest = 0;
  const stack: Array<[Element, number]> = [[document.documentElement, 1]];
  while (stack.length) {
    const [element, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of element.children) stack.push([child, depth + 1]);
  }
  return deepest;
}

describe('flattenDeepNesting', () => {
  it('leaves ordinary pages exactly as they are', () => {
    const html = page(`<article><h1>T</h1><div class="a"><section><p>${PROSE}<p>${PROSE}</section><ul><li>one<li>two</ul><table><tr><td>a<td>b<tr><td>c</table></div></article>`);
    const scan = flattenDeepNesting(html);
    expect(scan.html).toBe(html);
    expect(scan.flattened).toBe(0);
    expect(scan.elements).toBe(20);
    expect(scan.maxDepth).toBeLessThan(10);
  });

  it('does not mistake unclosed paragraphs, list items and cells for nesting', () => {
    const html = page(`<article>${`<p>${PROSE}`.repeat(3000)}<ul>${'<li>item'.repeat(3000)}</ul><table>${'<tr><td>a<td>b'.repeat(1000)}</table></article>`);
    const scan = flattenDeepNesting(html);
    expect(scan.flattened).toBe(0);
    expect(scan.html).toBe(html);
  });

  it('reads tags as the tokenizer does: comments, scripts, styles, titles and quoted ">" hold no tags', () => {
    const hidden = '<div>'.repeat(5000);
    const html = page(`<!-- ${hidden} --><script>var s = "${hidden}";</script><style>/* ${hidden} */</style><textarea>${hidden}</textarea><p title="a > ${hidden}">x</p>`);
    const scan = flattenDeepNesting(html);
    expect(scan.flattened).toBe(0);
    expect(scan.elements).toBe(9); // html head meta title body script style textarea p
  });

  it('flattens 5,000 nested wrappers to the depth limit and keeps every word', () => {
    const html = deep(5000);
    const scan = flattenDeepNesting(html);
    expect(scan.flattened).toBe(5000 - MAX_NESTING_DEPTH + 1);
    const document = parseHtml(html);
    expect(domDepth(document)).toBeLessThanOrEqual(MAX_NESTING_DEPTH + 8);
    expect(document.querySelectorAll('p')).toHaveLength(2);
    expect(document.body.textContent!.replace(/\s+/g, ' ').trim()).toBe(`The bridge ${PROSE}${PROSE}`);
  });

  it('keeps content elements deeper than wrappers, then flattens them too', () => {
    const scan = flattenDeepNesting(deep(2000, 'blockquote'));
    expect(scan.flattened).toBeGreaterThan(1000);
    expect(domDepth(parseHtml(deep(2000, 'blockquote')))).toBeLessThanOrEqual(MAX_NESTING_DEPTH + 32 + 8);
  });

  it('never drops a script or style start tag, so their text never becomes page text', () => {
    const html = page(`${'<div>'.repeat(400)}<script>var secret = 1;</script><style>.x{}</style><p>${PROSE}</p>${'</div>'.repeat(400)}`);
    const document = parseHtml(html);
    expect(document.querySelector('script')?.textContent).toBe('var secret = 1;');
    expect(document.querySelector('style')?.textContent).toBe('.x{}');
    expect(document.querySelectorAll('p')).toHaveLength(1);
  });

  it('turns 5,000- and 50,000-deep pages into copies in seconds, not minutes', () => {
    for (const levels of [5000, 50_000]) {
      const started = performance.now();
      const doc = extract(load(deep(levels)));
      const ms = performance.now() - started;
      expect(bodyText(doc, { figures: false }), `${levels}`).toContain(PROSE);
      expect(ms, `${levels} levels`).toBeLessThan(20_000); // was 26 s for 5,000 and over 12 minutes for 50,000
    }
  });
});

describe('extractAndRender limits', () => {
  it('refuses a page over the element limit before parsing it, naming the input and the limit', () => {
    const html = page(`<article>${'<p>x</p>'.repeat(3000)}</article>`);
    const done = extractAndRender({ label: 'in/many.html', page: load(html, 'many'), extract: { maxElements: 1000 }, text: {} });
    expect(done).toEqual({ ok: false, error: { code: 'INPUT_UNREADABLE', message: 'in/many.html: 3006 elements is over the 1000-element limit (raise it with --max-elements)' } });
  });
});

describe.skipIf(!workerFile())('extraction time budget on worker threads', () => {
  it('stops a page over its budget with one line naming it, and the next pages still run', async () => {
    const extractor = await openExtractor(1, { timeoutMs: 1000 });
    try {
      const slow = page(`<article><h1>Many</h1>${Array.from({ length: 60_000 }, (_, i) => `<p>Short paragraph ${i}.</p>`).join('')}</article>`);
      const good = page(`<article><h1>The bridge</h1><p>${PROSE}</p><p>${PROSE}</p></article>`);
      const started = performance.now();
      const [a, b] = await Promise.all([
        extractor.run({ label: 'in/slow.html', page: load(slow, 'slow'), extract: {}, text: {} }),
        extractor.run({ label: 'in/good.html', page: load(good, 'good'), extract: {}, text: {}, timeoutMs: 30_000 }),
      ]);
      expect(a).toEqual({ ok: false, error: { code: 'EXTRACT_TIMEOUT', message: 'in/slow.html: extraction took longer than 1 s (limit: --extract-timeout)' } });
      // The good page waited behind the slow one on the only thread, then ran on its replacement.
      expect(b.ok).toBe(true);
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      await extractor.close();
    }
  });
});

// Pages that are not articles are refused with their reason; figures keep their words whatever
// happens to their picture.
describe('not an article, and figures without their picture', () => {
  const story = `<p>${PROSE} ${PROSE}</p><p>${PROSE}</p><p>${PROSE} ${PROSE}</p>`;
  const refusal = (html: string, name: string) => {
    try {
      extract(load(html, name));
    } catch (error) {
      return (error as Error).message;
    }
    return 'copied';
  };

  it('refuses login and sign-up pages, redirect stubs, framesets and listings, each with one line naming the page and why', () => {
    const login = page('<main><h1>Sign in to your account</h1><p>Welcome back! Sign in to read your saved articles, manage your subscription and comment on stories.</p><form action="/login" method="post"><label>Email <input type="email" name="email"></label><label>Password <input type="password" name="password"></label><button>Sign in</button></form><p>Forgot your password? <a href="/reset">Reset it</a>.</p></main>');
    const signup = page('<main><h1>Join The Gazette today</h1><p>Create a free account to get our daily newsletter and save articles to read later, on every device you own.</p><form><label>Email <input type="email" name="email"></label><label>Choose a password <input type="password" name="pw"></label><button>Sign up</button></form></main>');
    const stub = '<!DOCTYPE html><html><head><title>Redirecting…</title><meta http-equiv="refresh" content="0; url=https://news.example.org/2019/05/bridge.html"></head><body><h1>Redirecting…</h1><p>This page has moved. If you are not redirected automatically, follow <a href="https://news.example.org/2019/05/bridge.html">this link to the new address</a> of the article.</p></body></html>';
    const frameset = '<html><head><title>Frames</title></head><frameset cols="30%,70%"><frame src="menu.html"><frame src="story.html"></frameset></html>';
    const listing = page(`<main><h1>Latest news</h1><ul>${Array.from({ length: 12 }, (_, i) => `<li><article><h2><a href="/2019/05/story-${i}.html">The council agrees a plan for story number ${i} after a long debate</a></h2><time datetime="2019-05-${10 + i}">May ${10 + i}, 2019</time></article></li>`).join('')}</ul></main>`);
    expect(refusal(login, 'login')).toBe('login.html: no article: a login page');
    expect(refusal(signup, 'signup')).toBe('signup.html: no article: a sign-up page');
    expect(refusal(stub, 'stub')).toBe('stub.html: no article: a redirect stub to https://news.example.org/2019/05/bridge.html');
    expect(refusal(frameset, 'frames')).toMatch(/^frames\.html: no article: a frameset/);
    expect(refusal(listing, 'listing')).toBe('listing.html: no article: a listing of links with no body text (an index or section page)');
    // A site's list of its sections in <main>: Readability would take the footer's text as the article.
    const sections = page(`<header><nav><a href="/">Home</a></nav></header><main><h1>Our sites</h1><p>Looking for one of our sites?</p><ul>${['News', 'Events', 'History', 'Exhibitions', 'Publishing', 'Stacks'].map((name) => `<li><a href="https://${name.toLowerCase()}.example.org/">${name}</a></li>`).join('')}</ul></main><footer><p>Content created by the library, CC BY-NC unless otherwise noted. Notify us about copyright concerns. Massachusetts Institute of Technology, 77 Massachusetts Avenue, Cambridge.</p></footer>`);
    expect(refusal(sections, 'sections')).toBe('sections.html: no article: a listing of links with no body text (an index or section page)');
  });

  it('still copies articles that have a login box, a slow refresh, links or a list', () => {
    const withLogin = page(`<header><form><input type="password" name="p"><button>Log in</button></form></header><article><h1>The bridge</h1>${story}</article>`);
    const refreshing = `<!DOCTYPE html><html lang="en"><head><title>The bridge</title><meta http-equiv="refresh" content="300"></head><body><article><h1>The bridge</h1>${story}</article></body></html>`;
    const linked = page(`<main><article><h1>The bridge</h1>${story}<ul>${Array.from({ length: 8 }, (_, i) => `<li><a href="/s${i}">Related story ${i}</a></li>`).join('')}</ul></article></main>`);
    for (const [name, html] of Object.entries({ withLogin, refreshing, linked })) expect(refusal(html, name), name).toBe('copied');
  });

  it('keeps the caption and alt text of a figure whose image is dropped: a 2×2 placeholder, an unsafe SVG', () => {
    const html = page(`<article><h1>The bridge</h1>${story}
<figure><img src="https://news.example.org/spacer.gif" width="2" height="2" alt="The bridge at dawn, from the north bank"><figcaption>The bridge at dawn. Photo: Rui Costa</figcaption></figure>
<figure><img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'%3E%3C/svg%3E" alt="A drawing of the new deck"><figcaption>The new deck, as the engineers drew it.</figcaption></figure>
<p>${PROSE}</p></article>`);
    const doc = extract(load(html, 'figures'));
    const figures = doc.blocks.filter((block) => block.kind === 'figure');
    expect(figures).toMatchObject([
      { imageLeftOut: true, image: { src: '', alt: 'The bridge at dawn, from the north bank' }, credit: 'Rui Costa' },
      { imageLeftOut: true, image: { src: '', alt: 'A drawing of the new deck' } },
    ]);
    const text = bodyText(doc);
    expect(text).toContain('The bridge at dawn, from the north bank');
    expect(text).toContain('The bridge at dawn.');
    expect(text).toContain('Rui Costa');
    expect(text).toContain('The new deck, as the engineers drew it.');
    expect(text).not.toMatch(/svg|alert/);
  });

  it('keeps the caption of an inline <svg> chart', () => {
    const html = page(`<article><h1>The bridge</h1>${story}<div class="chart-container"><figure class="chart"><div class="chart-wrapper"><svg width="600" height="300" viewBox="0 0 600 300" role="img" aria-label="Bar chart"><rect x="0" y="10" width="20" height="40"/><text x="0" y="60">1980</text></svg></div><figcaption><strong>Chart:</strong> Crossings per day fell from 4,000 in 1980 to 900 in 1987.</figcaption></figure></div><p>${PROSE}</p></article>`);
    expect(bodyText(extract(load(html, 'chart')))).toContain('Chart: Crossings per day fell from 4,000 in 1980 to 900 in 1987.');
  });
});
