// Reading in the user's own way, checked in Chromium: colour schemes and contrast (WCAG 1.4.6),
// forced colours, reduced motion, reflow at 320 CSS px (1.4.10), 200% text (1.4.4) and the
// text-spacing override (1.4.12) without horizontal scrolling, clipping or overlapping text.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS, requireBrowser } from '../../src/audit/browser.js';
import { extract } from '../../src/extract/index.js';
import { loadFile } from '../../src/load/file.js';
import { renderHtml } from '../../src/render/html.js';
import { loadTemplates } from '../../src/render/templates.js';
import { SAMPLES } from '../helpers.js';

let browser: Browser;
let page: Page;
let cdp: CDPSession;
const copies: Record<string, string> = {};
beforeAll(async () => {
  browser = await puppeteer.launch({ executablePath: (await requireBrowser()).path, headless: true, args: BROWSER_ARGS });
  page = await browser.newPage();
  cdp = await page.createCDPSession(); // media emulation lasts as long as its session
  await page.setRequestInterception(true);
  page.on('request', (request) => void (request.url() === 'about:blank' ? request.continue() : request.abort()).catch(() => undefined));
  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.html'))) {
    copies[file] = renderHtml(extract(await loadFile(path.join(SAMPLES, file))), loadTemplates());
  }
});
afterAll(() => browser?.close());

/**
 * Shows HTML in a fresh document. (setContent alone reuses the document, and with it the previous
 * page's Content-Security-Policy.) The text-spacing test bypasses the copy's CSP as a user
 * stylesheet or extension would.
 */
async function show(html: string, media: { name: string; value: string }[] = [], bypassCsp = false) {
  await page.setBypassCSP(bypassCsp);
  await page.goto('about:blank');
  await cdp.send('Emulation.setEmulatedMedia', { media: '', features: media });
  await page.setContent(html, { waitUntil: 'load' });
}

const TEXT_SPACING = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';

/** In the page: contrast ratios of text against the page background, for the main kinds of text. */
function contrastReport() {
  const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const luminance = ([r, g, b]: number[]) => {
    const [R, G, B] = [r!, g!, b!].map((c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
  };
  const ratio = (a: number[], b: number[]) => { const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m); return (x! + 0.05) / (y! + 0.05); };
  const background = (el: Element | null): number[] => {
    for (let node = el; node; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      if (!/rgba\(.*,\s*0\)|transparent/.test(color)) return rgb(color);
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  };
  const out: Record<string, number> = {};
  for (const selector of ['h1', 'main p', '.byline', '.dateline', 'figcaption', 'main a', '.provenance p', 'code']) {
    const el = document.querySelector(selector);
    if (el) out[selector] = Math.round(ratio(rgb(getComputedStyle(el).color), background(el)) * 100) / 100;
  }
  return out;
}

/** In the page: horizontal overflow of the document, clipped text boxes, and overlapping text blocks. */
function layoutReport() {
  const doc = document.documentElement;
  const blocks = [...document.querySelectorAll('h1, h2, h3, h4, p, li, figcaption, blockquote, pre, th, td, .skip-link:focus')]
    .filter((el) => el.getClientRects().length > 0 && !el.closest('.table-scroll') && !el.querySelector('p, li, blockquote'));
  const clipped = blocks.filter((el) => {
    const style = getComputedStyle(el);
    return (style.overflow === 'hidden' || style.overflowX === 'hidden' || style.overflowY === 'hidden') && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
  }).map((el) => el.tagName);
  const overlaps: string[] = [];
  const boxes = blocks.map((el) => ({ el, box: el.getBoundingClientRect() }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < Math.min(boxes.length, i + 8); j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 1 && h > 1) overlaps.push(`${a.el.tagName}/${b.el.tagName}`);
    }
  }
  return { scrollWidth: doc.scrollWidth, viewport: window.innerWidth, clipped, overlaps };
}

describe.each(Object.keys({ 'arabic-news.html': 1, 'data-table-guide.html': 1, 'huffpost-india-kerry.html': 1, 'lazy-images-blog.html': 1 }))('%s', (file) => {
  it.each(['light', 'dark'])('has text contrast of at least 7:1 in the %s scheme', async (scheme) => {
    await page.setViewport({ width: 1024, height: 800 });
    await show(copies[file]!, [{ name: 'prefers-color-scheme', value: scheme }]);
    const ratios = await page.evaluate(contrastReport);
    expect(Object.keys(ratios).length).toBeGreaterThan(3);
    for (const [selector, ratio] of Object.entries(ratios)) expect(ratio, `${scheme} ${selector}`).toBeGreaterThanOrEqual(7);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe(scheme === 'dark' ? 'rgb(18, 18, 18)' : 'rgb(255, 255, 255)');
  });

  it('honours prefers-contrast, forced-colors and prefers-reduced-motion', async () => {
    await show(copies[file]!, [{ name: 'prefers-color-scheme', value: 'light' }, { name: 'prefers-contrast', value: 'more' }, { name: 'prefers-reduced-motion', value: 'reduce' }]);
    const styles = await page.evaluate(() => ({ color: getComputedStyle(document.querySelector('main p')!).color, transition: getComputedStyle(document.querySelector('a')!).transitionDuration, scroll: getComputedStyle(document.documentElement).scrollBehavior }));
    expect(styles).toEqual({ color: 'rgb(0, 0, 0)', transition: '0s', scroll: 'auto' });
    await show(copies[file]!, [{ name: 'forced-colors', value: 'active' }]);
    const ratios = await page.evaluate(contrastReport);
    for (const [selector, ratio] of Object.entries(ratios)) expect(ratio, `forced colours ${selector}`).toBeGreaterThanOrEqual(4.5);
    expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
  });

  it.each([
    ['reflows at 320 CSS px', { width: 320 }, ''],
    ['survives 200% text at 640 px', { width: 640, zoom: true }, ''],
    ['survives the text-spacing override at 320 px', { width: 320 }, TEXT_SPACING],
  ] as const)('%s: no horizontal scrolling, clipped or overlapping text', async (_name, view, css) => {
    await page.setViewport({ width: view.width, height: 800 });
    await show(copies[file]!, [], Boolean(css));
    if ('zoom' in view) await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    if (css) await page.addStyleTag({ content: css });
    const layout = await page.evaluate(layoutReport);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.clipped).toEqual([]);
    expect(layout.overlaps).toEqual([]);
  });
});

describe('the layout check can fail', () => {
  it('catches a page that scrolls sideways at 320 px and one with clipped text', async () => {
    await page.setViewport({ width: 320, height: 800 });
    await show('<html lang="en"><body><main><p style="width:600px">wide</p><p style="height:1em;overflow:hidden">a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k</p></main></body></html>');
    const layout = await page.evaluate(layoutReport);
    expect(layout.scrollWidth).toBeGreaterThan(320);
    expect(layout.clipped).toEqual(['P']);
  });
  it('catches low contrast', async () => {
    await show('<html lang="en"><body style="background:#fff"><main><h1 style="color:#777">Low</h1><p style="color:#999">grey</p></main></body></html>');
    const ratios = await page.evaluate(contrastReport);
    expect(ratios['main p']).toBeLessThan(7);
  });
});
