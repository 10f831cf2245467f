import { describe, expect, it } from 'vitest';
import { decodeHtml, loadBytes } from '../../src/index.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('decodeHtml (WHATWG encoding sniffing)', () => {
  it('decodes windows-1252 0x93/0x94 as curly quotes, not C1 controls', () => {
    const { html, charset } = decodeHtml(bytes('<meta charset="windows-1252"><p>', [0x93], 'hi', [0x94], '</p>'));
    expect(charset).toBe('windows-1252');
    expect(html).toContain('“hi”');
  });
  it('defaults to windows-1252 when nothing declares an encoding', () => {
    expect(decodeHtml(bytes('<p>caf', [0xe9], '</p>')).html).toContain('café');
  });
  it('lets a BOM win over <meta charset>', () => {
    const { html, charset } = decodeHtml(bytes([0xef, 0xbb, 0xbf], '<meta charset="iso-8859-1"><p>', [0xc3, 0xa9], '</p>'));
    expect(charset).toBe('UTF-8');
    expect(html).toContain('<p>é</p>');
  });
  it('uses the transport charset before the meta prescan', () => {
    const sjis = Buffer.from([0x93, 0xfa, 0x96, 0x7b]); // 日本 in Shift_JIS
    expect(decodeHtml(Buffer.concat([Buffer.from('<meta charset="utf-8"><p>'), sjis]), { transportCharset: 'shift_jis' }).html).toContain('日本');
  });
});

describe('loadBytes', () => {
  it('refuses empty and whitespace-only input, naming the file', () => {
    expect(() => loadBytes(Buffer.from(''), { name: 'a', path: 'in/a.html' })).toThrow('in/a.html: the file is empty');
    expect(() => loadBytes(Buffer.from(' \n\t '), { name: 'a', path: 'in/a.html' })).toThrow(/empty/);
  });
  it('refuses binary data', () => {
    expect(() => loadBytes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), { name: 'x', path: 'x.html' })).toThrow('x.html: this is binary data');
  });
  it('gives a file input a file: URL to resolve relative links against', () => {
    const page = loadBytes(Buffer.from('<p>x</p>'), { name: 'a', path: '/tmp/a.html' });
    expect(page.source.url).toBe('file:///tmp/a.html');
  });
});

describe('encoding detection beyond the 1024-byte prescan', () => {
  const scripts = `<script>${'var x = 1;\n'.repeat(150)}</script>`;
  it('finds a <meta charset> declared after 1 KB of scripts', () => {
    const html = Buffer.concat([Buffer.from(`<html><head>${scripts}<meta charset="windows-1251"></head><body><p>`), Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), Buffer.from('</p></body></html>')]);
    const decoded = decodeHtml(html);
    expect(decoded.charset).toBe('windows-1251');
    expect(decoded.html).toContain('Привет');
  });
  it('recognises undeclared UTF-8 instead of reading it as windows-1252 mojibake', () => {
    const decoded = decodeHtml(Buffer.from(`<html><head>${scripts}</head><body><p>Calendário da Stock Car, 一波波接續性低溫</p></body></html>`));
    expect(decoded.charset).toBe('UTF-8');
    expect(decoded.html).toContain('Calendário da Stock Car, 一波波接續性低溫');
  });
  it('still falls back to windows-1252 for bytes that are not UTF-8', () => {
    expect(decodeHtml(Buffer.from([0x3c, 0x70, 0x3e, 0x93, 0x68, 0x69, 0x94])).html).toBe('<p>“hi”');
  });
});
