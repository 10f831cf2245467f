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
