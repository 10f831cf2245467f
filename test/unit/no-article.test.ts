import { describe, expect, it } from 'vitest';
import { extract, loadBytes } from '../../src/index.js';
import { plainText } from '../../src/model/text.js';

// Pages of the real-page corpus that are not articles (Readability's own test stubs): clearcopy
// refuses them with one line that says what it found, and keeps their words when asked to accept them.
const JS_LINK = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Replace javascript: links</title></head><body><a href="javascript:"><p>abc</p><p>def</p>ghi</a></body></html>';
const STUB = '<!DOCTYPE html><html><head><meta property="dc:description og:description" content="&amp;#xg; &amp;#x1F62D;"></head><body>Test</body></html>';

describe('a page with almost no text', () => {
  it('is refused with one line naming the page, the text found and the minimum', () => {
    expect(() => extract(loadBytes(Buffer.from(JS_LINK), { name: 'js-link', path: 'js-link.html' }))).toThrow(/^js-link\.html: no article: only 11 characters of text, "abc def ghi" \(an article needs 20\)[^\n]*$/);
    expect(() => extract(loadBytes(Buffer.from(STUB), { name: 'stub', path: 'stub.html' }))).toThrow(/^stub\.html: no article: only 4 characters of text, "Test"[^\n]*$/);
  });
  it('keeps the words of a javascript: link (never the link) when a shorter article is allowed', () => {
    const doc = extract(loadBytes(Buffer.from(JS_LINK), { name: 'js-link' }), { minTextLength: 5 });
    expect(doc.blocks.map((b) => (b.kind === 'paragraph' ? plainText(b.content) : b.kind))).toEqual(['abc', 'def', 'ghi']);
    expect(JSON.stringify(doc.blocks)).not.toContain('javascript');
  });
});
