import { describe, expect, it } from 'vitest';
import { bodyText, extract, loadBytes, loadTemplates, renderHtml, renderText } from '../../src/index.js';
import { fixHeadingLevels } from '../../src/normalize/index.js';
import { wrap } from '../../src/render/text.js';
import type { ClearDoc } from '../../src/index.js';
import { parse } from '../helpers.js';

const templates = loadTemplates();
const page = (inner: string, head = '') => `<!DOCTYPE html><html lang="en"><head><title>Page title</title>${head}</head><body><article><h1>The headline of the piece</h1>${inner}<p>${'Filler sentence for a real article body. '.repeat(10)}</p></article></body></html>`;
const doc = (inner: string, head = '') => extract(loadBytes(Buffer.from(page(inner, head)), { name: 't', url: 'https://example.org/story' }));

describe('heading levels', () => {
  it('start at 2 under the single h1 and never skip a level', () => {
    const d = { blocks: [2, 4, 4, 3, 6, 2].map((level) => ({ kind: 'heading', level, content: [] })) } as unknown as ClearDoc;
    fixHeadingLevels.run(d);
    expect(d.blocks.map((b) => (b.kind === 'heading' ? b.level : 0))).toEqual([2, 3, 3, 3, 4, 2]);
  });
  it('demote body h1s so the copy has exactly one h1', () => {
    const html = renderHtml(doc(`<p>${'Intro words here. '.repeat(8)}</p><h1>Second big heading</h1><p>${'Text under it. '.repeat(8)}</p>`), templates);
    const document = parse(html);
    expect(document.querySelectorAll('h1')).toHaveLength(1);
    expect([...document.querySelectorAll('h2')].map((h) => h.textContent)).toContain('Second big heading');
  });
});

describe('the HTML copy', () => {
  const html = renderHtml(doc('<p>Read <a href="/other">the other story</a>.</p>', '<meta property="article:published_time" content="2016-08-31T10:00:00+05:30">'), templates);
  const document = parse(html);
  it('has language, a title, a skip link to the one main, and a time element', () => {
    expect(document.documentElement.lang).toBe('en');
    expect(document.title).toContain('The headline of the piece');
    expect(document.querySelector('a.skip-link')?.getAttribute('href')).toBe('#article');
    expect(document.querySelectorAll('main#article')).toHaveLength(1);
    expect(document.querySelector('time')?.getAttribute('datetime')).toBe('2016-08-31T10:00:00+05:30');
  });
  it('carries a Content-Security-Policy that allows no script and only its own style', () => {
    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("base-uri 'none'");
  });
  it('resolves links against the page URL', () => {
    expect(document.querySelector('main p a')?.getAttribute('href')).toBe('https://example.org/other');
  });
  it('shows the word count and reading time', () => {
    expect(document.querySelector('.reading-time')?.textContent).toMatch(/^\d+ words, about \d+ minutes? to read$/);
  });
});

describe('hostile markup never reaches the copy', () => {
  const hostile = `<p onclick="alert(1)">Click <a href="javascript:alert(2)">here</a> and <a href=" JaVaScRiPt:alert(3)">there</a>
    <img src=x onerror="alert(4)"> <span style="background:url(javascript:alert(5))">styled</span></p>
    <script>alert(6)</script><iframe srcdoc="<script>alert(7)</script>"></iframe><object data="data:text/html,<script>alert(8)</script>"></object>
    <svg><script>alert(9)</script><foreignObject><p>x</p></foreignObject></svg><form action="https://evil.example"><input></form>
    <p><a href="vbscript:msgbox(1)">vb</a> <a href="data:text/html,<script>alert(10)</script>">data</a></p>`;
  const html = renderHtml(doc(hostile), templates);
  const document = parse(html);
  it('has no script, handler, frame, object, form, style attribute or script URL', () => {
    expect(document.querySelectorAll('script, iframe, object, embed, form, svg, base, [style]')).toHaveLength(0);
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.name, el.outerHTML).not.toMatch(/^on/i);
        expect(attr.value, el.outerHTML).not.toMatch(/^\s*(javascript|vbscript|data:text\/html)/i);
      }
    }
    expect(html).not.toContain('alert(');
  });
});

describe('the text copy', () => {
  const d = doc(`<p>First paragraph with <em>emphasis</em> &amp; an entity.</p>
    <ul><li>One</li><li>Two<ul><li>Two point one</li></ul></li></ul>
    <blockquote><p>Quoted words.</p></blockquote>
    <table><caption>Scores</caption><thead><tr><th>Team</th><th>Points</th></tr></thead><tbody><tr><td>Red</td><td>3</td></tr><tr><td>Blue</td><td>5</td></tr></tbody></table>
    <p>See <a href="https://example.org/more">more</a>.</p>`);
  const text = renderText(d, templates, { width: 60, links: true });
  it('keeps lists, quotes and tables readable, with no glued words', () => {
    expect(text).toContain('- One\n- Two\n  - Two point one');
    expect(text).toContain('> Quoted words.');
    expect(text).toContain('Table: Scores\nColumns: Team, Points.\n- Team: Red; Points: 3.\n- Team: Blue; Points: 5.');
    expect(text).toContain('First paragraph with emphasis & an entity.');
  });
  it('numbers links and lists their targets at the end, never in the running text', () => {
    expect(text).toContain('See more [1].');
    expect(text).toMatch(/Links:\n\[1\] https:\/\/example\.org\/more/);
  });
  it('wraps at the width asked for, and not at all with 0', () => {
    for (const line of text.split('\n')) if (!/https?:/.test(line)) expect(line.length).toBeLessThanOrEqual(60);
    expect(wrap('a b c d e f', 5)).toBe('a b c\nd e f');
    expect(wrap('a b c d e f', 0)).toBe('a b c d e f');
  });
});

describe('links in the copy', () => {
  const html = renderHtml(doc(`<p>See <a href="#note-1">note 1</a>, <a href="https://example.org/x"><span></span></a>and <a href="https://example.org/story">the</a> <a href="https://example.org/story">story</a>.</p>`), templates);
  const links = [...parse(html).querySelectorAll('article > p a')].map((a) => [a.getAttribute('href'), a.textContent]);
  it('unwraps fragment links (their targets are gone) and links without text', () => {
    expect(links.find(([href]) => href?.includes('#note'))).toBeUndefined();
    expect(links.find(([href]) => href === 'https://example.org/x')).toBeUndefined();
    expect(parse(html).querySelector('article > p')?.textContent).toContain('See note 1,');
  });
  it('merges adjacent links to the same address into one', () => {
    expect(links).toEqual([['https://example.org/story', 'the story']]);
  });
});

describe('tables', () => {
  it('puts a first row of header cells in <thead> as column headers, whatever section the page used', () => {
    const html = renderHtml(doc('<table><tbody><tr><th>Release</th><th>Date</th></tr><tr><td>4.2.3</td><td>April 2014</td></tr><tr><td>4.1.6</td><td>May 2014</td></tr></tbody></table>'), templates);
    const document = parse(html);
    expect([...document.querySelectorAll('thead th')].map((th) => [th.textContent, th.getAttribute('scope')])).toEqual([['Release', 'col'], ['Date', 'col']]);
    expect(document.querySelectorAll('tbody th')).toHaveLength(0);
  });
});

describe('bodyText without listening aids (what extraction is scored on)', () => {
  const doc = extract(loadBytes(Buffer.from(`<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><article><h1>Headline of the story</h1><p>${'A sentence of the body. '.repeat(12)}</p>
    <ol><li>First thing to know.</li><li>Second thing to know.</li></ol>
    <table><thead><tr><th>Player</th><th>Plays</th></tr></thead><tbody><tr><td>Jane Doe</td><td>63</td></tr><tr><td>John Roe</td><td>57</td></tr></tbody></table></article></body></html>`), { name: 't', url: 'https://example.org/s' }));
  it('reads the page words only: no list numbers, no table labels, rows as cells', () => {
    const words = bodyText(doc, { figures: false, listeningAids: false });
    expect(words).toContain('\nFirst thing to know.\nSecond thing to know.');
    expect(words).toContain('Player Plays\nJane Doe 63\nJohn Roe 57');
    expect(words).not.toMatch(/\d\. First|Columns:|Table|Plays: 63/);
  });
  it('while the text copy as read keeps them for a listener', () => {
    const read = bodyText(doc, { figures: false });
    expect(read).toContain('1. First thing to know.');
    expect(read).toContain('Columns: Player, Plays.');
    expect(read).toContain('- Player: Jane Doe; Plays: 63.');
  });
});
