// Output that can never run script: ~250 hostile pages go through the real pipeline; every copy is
// opened in real Chromium with the page's CSP bypassed (so the markup itself must be inert), with
// alert/eval/fetch/timers/dialogs hooked before anything could run and the debugger counting every
// script the page parses. Every element is hovered, focused and clicked; nothing may run and no
// request may leave except the figure images and link targets the copy deliberately shows.
import { JSDOM } from 'jsdom';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS, headlessMode, requireBrowser } from '../../src/audit/browser.js';
import { extract } from '../../src/extract/index.js';
import { loadBytes } from '../../src/load/file.js';
import { renderHtml } from '../../src/render/html.js';
import { loadTemplates } from '../../src/render/templates.js';
import { hostilePages } from '../fixtures/hostile/vectors.js';

interface Visit {
  scripts: string[];
  hooks: string[];
  dialogs: string[];
  requests: { url: string; type: string }[];
  allowedImages: string[];
  allowedLinks: string[];
}

const templates = loadTemplates();
const corpus = hostilePages();
let browser: Browser;

beforeAll(async () => {
  const location = await requireBrowser();
  browser = await puppeteer.launch({ executablePath: location.path, headless: headlessMode(location.kind), args: BROWSER_ARGS });
});
afterAll(() => browser?.close());

/** Hooks installed in every new document before any of its own script could run. */
function installHooks() {
  const w = window as unknown as Record<string, unknown> & { __ran: string[] };
  w.__ran = [];
  const trap = (name: string) => {
    const original = w[name];
    w[name] = function trapped(this: unknown, ...args: unknown[]) {
      w.__ran.push(name);
      return typeof original === 'function' && !['alert', 'confirm', 'prompt', 'print', 'open'].includes(name) ? (original as (...a: unknown[]) => unknown).apply(this, args) : undefined;
    };
  };
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open', 'eval', 'fetch', 'setTimeout', 'setInterval', 'Function', 'WebSocket', 'EventSource', 'Worker', 'postMessage']) trap(name);
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (...args: Parameters<typeof open>) {
    w.__ran.push('XMLHttpRequest');
    return open.apply(this, args);
  };
  navigator.sendBeacon = () => { w.__ran.push('sendBeacon'); return false; };
}

/** A tab prepared once: CSP bypassed, hooks on every new document, scripts and requests recorded. */
async function openTab() {
  const page = await browser.newPage();
  const current: Visit = { scripts: [], hooks: [], dialogs: [], requests: [], allowedImages: [], allowedLinks: [] };
  let recording = false;
  await page.setBypassCSP(true);
  await page.evaluateOnNewDocument(`(${installHooks.toString()})();\n//# sourceURL=clearcopy-test-hooks`);
  const client = await page.createCDPSession();
  await client.send('Debugger.enable');
  client.on('Debugger.scriptParsed', (event) => {
    if (recording && !/^pptr:|__puppeteer|clearcopy-test-hooks/.test(event.url ?? '')) current.scripts.push(event.url || '(inline)');
  });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (recording && request.url() !== 'about:blank') current.requests.push({ url: request.url(), type: request.resourceType() });
    // A navigation (a clicked link) is answered 204 No Content, so the browser stays on the copy.
    const answer = request.url() === 'about:blank' ? request.continue() : request.isNavigationRequest() ? request.respond({ status: 204 }) : request.abort();
    void answer.catch(() => undefined);
  });
  page.on('dialog', (dialog) => {
    current.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return {
    close: () => page.close(),
    async visit(html: string): Promise<Visit> {
      Object.assign(current, { scripts: [], hooks: [], dialogs: [], requests: [], allowedImages: [], allowedLinks: [] });
      await page.goto('about:blank'); // a fresh document: the hooks are installed before anything else
      recording = true;
      await page.setContent(html, { waitUntil: 'load' });
      // Marks this document: reading the hooks later must find it, not a page navigated to since.
      const marker = `copy-${++visits}`;
      await page.evaluate((value) => { (window as unknown as { __copy: string }).__copy = value; }, marker);
      const allowed = await page.evaluate(() => ({
        images: [...document.querySelectorAll('img')].flatMap((img) => [img.src, ...(img.getAttribute('srcset') ?? '').split(',').map((part) => part.trim().split(/\s+/)[0] ?? '')]).filter(Boolean),
        links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
      }));
      current.allowedImages = allowed.images;
      current.allowedLinks = allowed.links;
      // Synthetic events on every element (inline handlers fire for these too), and focus.
      await page.evaluate(() => {
        const kinds = ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu', 'pointerover', 'pointerdown', 'pointerup', 'focus', 'focusin', 'blur', 'keydown', 'keyup', 'input', 'change', 'toggle', 'load', 'error', 'animationstart', 'transitionend', 'wheel', 'copy'];
        for (const el of document.querySelectorAll('*')) {
          (el as HTMLElement).focus?.();
          for (const kind of kinds) el.dispatchEvent(new Event(kind, { bubbles: true, cancelable: true }));
        }
      });
      // Real input: hover and click every link, image and summary; tab through the page.
      const targets = await page.evaluate(() => [...document.querySelectorAll('main a, main img, main summary, main figcaption, main td')].map((el) => {
        const box = el.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 5), visible: box.width > 0 && box.height > 0 };
      }).filter((t) => t.visible && t.y < 2000));
      for (const target of targets) await page.mouse.click(target.x, target.y).catch(() => undefined);
      for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      current.hooks = await hooksCalled(page, marker);
      recording = false;
      return { ...current };
    },
  };
}

let visits = 0;

/**
 * The hooks the copy called. A link followed by the clicks is answered 204, so the copy stays; an
 * evaluation that meets the navigation still in flight is tried again once it has settled.
 */
async function hooksCalled(page: Page, marker: string): Promise<string[]> {
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const seen = await page.evaluate(() => {
        const w = window as unknown as { __ran: string[]; __copy?: string };
        return { ran: w.__ran, copy: w.__copy };
      });
      return seen.copy === marker ? seen.ran : [`(page navigated away to ${page.url()})`];
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return [`(hooks unreadable: ${failure})`];
}

async function visit(html: string): Promise<Visit> {
  const tab = await openTab();
  try {
    return await tab.visit(html);
  } finally {
    await tab.close();
  }
}

/** Static check of a copy's markup: no script elements, handlers, script URLs, frames, forms or styles. */
function markupProblems(html: string): string[] {
  const { document } = new JSDOM(html).window;
  const found: string[] = [];
  const banned = document.querySelectorAll('script, iframe, frame, object, embed, applet, form, input, button, base, link, svg, math, video, audio, source, portal, template, meta[http-equiv="refresh" i], style:not(head > style)');
  for (const el of banned) found.push(`<${el.tagName.toLowerCase()}>`);
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`${attr.name} on <${el.tagName.toLowerCase()}>`);
      if (attr.name === 'style' || attr.name === 'srcdoc' || attr.name === 'ping' || attr.name === 'formaction' || attr.name === 'background') found.push(`${attr.name}= on <${el.tagName.toLowerCase()}>`);
      if (/^[\s\u0000-\u001f]*(javascript|vbscript|data:(?!image\/(png|jpe?g|gif|webp|avif);))/i.test(attr.value.replace(/[\t\n\r]/g, ''))) found.push(`${attr.name}="${attr.value.slice(0, 30)}"`);
    }
  }
  return found;
}

describe('hostile input never yields a copy that runs script or fetches on its own', () => {
  it('has a corpus of at least 150 hostile pages', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
  });

  it('every copy is inert in Chromium: no script parsed, no hook called, no dialog, no stray request', async () => {
    const problems: string[] = [];
    const queue = [...corpus];
    const worker = async () => {
      const tab = await openTab();
      for (let item = queue.shift(); item; item = queue.shift()) {
        // Not-an-article refusals off: a hostile redirect stub is refused in a real run, but its copy
        // is still made here, so the sanitiser is tested on every vector.
        const doc = extract(loadBytes(Buffer.from(item.html), { name: item.name, url: 'https://news.example/2020/ferry.html' }), { refuse: false });
        const html = renderHtml(doc, templates);
        const markup = markupProblems(html);
        if (markup.length) problems.push(`${item.name}: ${markup.join('; ')}`);
        const seen = await tab.visit(html);
        if (seen.scripts.length) problems.push(`${item.name}: ${seen.scripts.length} scripts parsed`);
        if (seen.hooks.length) problems.push(`${item.name}: ran ${seen.hooks.join(', ')}`);
        if (seen.dialogs.length) problems.push(`${item.name}: dialog ${seen.dialogs.join(', ')}`);
        for (const request of seen.requests) {
          const ok = (request.type === 'image' && seen.allowedImages.includes(request.url))
            || (request.type === 'document' && seen.allowedLinks.includes(request.url) && /^https:\/\/(ok|news|img)\.example\//.test(request.url));
          if (!ok) problems.push(`${item.name}: request ${request.type} ${request.url}`);
        }
      }
      await tab.close();
    };
    await Promise.all([worker(), worker()]);
    expect(problems).toEqual([]);
  }, 600_000);

  it('the check can fail: an unsanitised page is caught running script and fetching', async () => {
    const seen = await visit('<!DOCTYPE html><html lang="en"><body><p onclick="alert(1)">x</p><img src="https://evil.example/t.gif" alt="t"><script>setTimeout(()=>{},1)</script></body></html>');
    expect(seen.scripts.length).toBeGreaterThan(0);
    expect(seen.hooks).toContain('setTimeout');
    expect(seen.hooks).toContain('alert');
    expect(seen.requests.map((r) => r.url)).toContain('https://evil.example/t.gif');
  });
});
