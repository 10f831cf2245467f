import { describe, expect, it } from 'vitest';
import { extract, loadBytes, loadTemplates, renderHtml, renderText } from '../../src/index.js';
import { parse } from '../helpers.js';

// Broken inputs met in the real-page conformance run (clearcopy ax-adjacent-links: two links in a
// row to one address), reduced to the markup that caused them.
const templates = loadTemplates();
const filler = `<p>${'Filler sentence for a real article body. '.repeat(10)}</p>`;
const page = (inner: string) => `<!DOCTYPE html><html lang="en"><head><title>Page title</title></head><body><article><h1>The headline of the piece</h1>${filler}${inner}${filler}</article></body></html>`;
const extractDoc = (inner: string) => extract(loadBytes(Buffer.from(page(inner)), { name: 't', url: 'https://example.org/story' }));
const links = (inner: string) => [...parse(renderHtml(extractDoc(inner), templates)).querySelectorAll('article a')].map((a) => [a.getAttribute('href'), a.textContent]);

describe('a word split over two links to one address', () => {
  it('becomes one link, also when the second sits inside a <span>', () => {
    const html = renderHtml(extractDoc('<p><span lang="en-US">The mission may well have </span><a href="https://example.org/europa">expand</a><span lang="en-US"><a href="https://example.org/europa">ed</a> to Jupiter’s moon Europa.</span></p>'), templates);
    const document = parse(html);
    expect([...document.querySelectorAll('article a')].map((a) => a.textContent)).toEqual(['expanded']);
    expect(document.querySelector('article')?.textContent).toContain('may well have expanded to Jupiter’s moon Europa.');
  });
  it('keeps a space when the markup had one', () => {
    expect(links('<p>See <em><a href="https://example.org/a">the report</a></em> <a href="https://example.org/a">in full</a> today.</p>')).toEqual([['https://example.org/a', 'the report in full']]);
  });
});

describe('the same address twice in a row across blocks', () => {
  it('is one stop: a paragraph opening with the link of the heading just above keeps its words as text', () => {
    const doc = extractDoc('<h2>19) <a href="https://example.org/review"><em>Ingrid Goes West</em></a></h2><p><a href="https://example.org/review"><em>Ingrid Goes West</em></a> is a twisted <a href="https://example.org/interview">dark comedy</a>.</p>');
    const document = parse(renderHtml(doc, templates));
    expect([...document.querySelectorAll('article a')].map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['https://example.org/review', 'Ingrid Goes West'],
      ['https://example.org/interview', 'dark comedy'],
    ]);
    expect([...document.querySelectorAll('article p')].map((p) => p.textContent)).toContain('Ingrid Goes West is a twisted dark comedy.');
    expect(renderText(doc, templates)).toContain('Ingrid Goes West is a twisted dark comedy.');
  });
  it('is one stop: "More in Opinion" under the linked "Opinion" heading, or two one-link paragraphs', () => {
    expect(links('<h2><a href="https://example.org/opinion">Opinion</a></h2><p><a href="https://example.org/opinion">More in Opinion ›</a></p>')).toEqual([['https://example.org/opinion', 'Opinion']]);
    expect(links('<p><a href="https://example.org/list">Pop.</a></p><p><a href="https://example.org/list">Rank</a></p>')).toEqual([['https://example.org/list', 'Pop.']]);
  });
  it('stays two links when text or an image is read between them', () => {
    expect(links('<p><a href="https://example.org/a">First</a> and <a href="https://example.org/a">second</a>.</p>')).toHaveLength(2);
    expect(links('<p><a href="https://example.org/a">First</a></p><p>Words between.</p><p><a href="https://example.org/a">Second</a></p>')).toHaveLength(2);
    expect(links('<p><a href="https://example.org/a">First</a></p><figure><img src="https://example.org/p.jpg" alt="A red kite over the valley"></figure><p><a href="https://example.org/a">Second</a></p>')).toHaveLength(2);
  });
});

// Found by the hostile-page test: with `<base href="javascript:…">` inside a paragraph, Readability
// left the link relative, and the copy (at another address) had a link leading nowhere.
describe('every link in a copy leads somewhere', () => {
  it('is made absolute against the page address when the page\'s base is unusable', () => {
    // A short story (Readability takes another path for it), as in the hostile corpus.
    const short = (inner: string) => {
      const html = `<!DOCTYPE html><html lang="en"><head><title>Ferry terminal to reopen</title></head><body><article><h1>Ferry terminal to reopen</h1>${inner}<p>${'The council says. '.repeat(8)}</p><p>${'Commuters cheer. '.repeat(8)}</p></article></body></html>`;
      const doc = extract(loadBytes(Buffer.from(html), { name: 't', url: 'https://news.example/2020/ferry.html' }));
      return [...parse(renderHtml(doc, templates)).querySelectorAll('article a')].map((a) => [a.getAttribute('href'), a.textContent]);
    };
    expect(short('<p>The terminal will reopen next month. <base href="javascript:alert(1)//"><a href="relative/path">relative link</a></p>'))
      .toEqual([['https://news.example/2020/relative/path', 'relative link']]);
    expect(short('<blockquote><p>The terminal will reopen. <base href="javascript:alert(1)//"><a href="../up">up a level</a></p></blockquote>'))
      .toEqual([['https://news.example/up', 'up a level']]);
  });
  it('keeps a usable base: links resolve against it, as in the page', () => {
    const html = `<!DOCTYPE html><html lang="en"><head><base href="https://cdn.example.net/news/"><title>Page title</title></head><body><article><h1>The headline of the piece</h1>${filler}<p>See <a href="more.html">the rest</a>.</p>${filler}</article></body></html>`;
    const doc = extract(loadBytes(Buffer.from(html), { name: 't', url: 'https://example.org/story' }));
    expect([...parse(renderHtml(doc, templates)).querySelectorAll('article a')].map((a) => a.getAttribute('href'))).toEqual(['https://cdn.example.net/news/more.html']);
  });
  it('loses a link that cannot be an http(s) or mailto address, keeping its words', () => {
    const html = `<!DOCTYPE html><html lang="en"><head><title>Page title</title></head><body><article><h1>The headline of the piece</h1>${filler}<p>Read <a href="notes/part-2.html">part two</a> next.</p>${filler}</article></body></html>`;
    // A page saved on disk with no address of its own: the relative link would point into the disk.
    const doc = extract(loadBytes(Buffer.from(html), { name: 't', path: '/archive/story.html' }));
    const document = parse(renderHtml(doc, templates));
    expect(document.querySelectorAll('article a')).toHaveLength(0);
    expect(document.querySelector('article')!.textContent).toContain('Read part two next.');
  });
});
