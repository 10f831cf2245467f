// Readability behaviours clearcopy relies on or works around (so an upgrade that changes them is noticed).
import { Readability } from '@mozilla/readability';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extract, loadBytes } from '../../src/index.js';

const article = (inner: string) => `<html><head><title>T</title></head><body><article>${inner}<p>${'Long enough paragraph text for Readability to score. '.repeat(12)}</p></article></body></html>`;

describe('Readability 0.6 (pinned behaviours)', () => {
  it('keeps on* attributes: it is no sanitizer, so clearcopy sanitises', () => {
    const { document } = new JSDOM(article('<p onclick="alert(1)">Hello there, this is text.</p>'), { url: 'https://example.org/' }).window;
    expect(new Readability(document).parse()?.content).toContain('onclick');
  });
  it('takes a short node classed "author" as the byline and removes it, even inside a figure', () => {
    const { document } = new JSDOM(article('<figure><img src="a.jpg" alt="x"><figcaption><span class="author">Jane Roe/AP</span></figcaption></figure>'), { url: 'https://example.org/' }).window;
    expect(new Readability(document).parse()?.byline).toBe('Jane Roe/AP');
  });
  it('still returns an "article" for a login form, which clearcopy refuses', () => {
    const html = '<html><body><form><label>User name <input></label><label>Password <input type=password></label><button>Log in</button><p>Forgot your password? Contact support.</p></form></body></html>';
    const { document } = new JSDOM(html, { url: 'https://example.org/' }).window;
    expect(new Readability(document).parse()).not.toBeNull();
    expect(() => extract(loadBytes(Buffer.from(html), { name: 'login', path: 'login.html' }))).toThrow(/login\.html: no article/);
  });
});

describe('page CSS never breaks extraction', () => {
  it('extracts a page whose <style> holds SCSS left in a calc()', () => {
    const html = article('<style>.a{width:calc(100% - #{$gutter * 2})} .b{margin:calc(1px + )}</style><p>Visible words of the story here.</p>');
    const doc = extract(loadBytes(Buffer.from(html), { name: 's', url: 'https://example.org/' }));
    expect(doc.blocks.length).toBeGreaterThan(0);
  });
});
