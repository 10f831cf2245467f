import { describe, expect, it } from 'vitest';
import { extract, loadBytes, loadTemplates, renderHtml, renderText } from '../../src/index.js';
import { parse } from '../helpers.js';

// Broken inputs met in the real-page conformance run (HTML_CodeSniffer H43, axe th-has-data-cells),
// reduced to the markup that caused them.
const templates = loadTemplates();
const page = (inner: string) => `<!DOCTYPE html><html lang="en"><head><title>Page title</title></head><body><article><h1>The headline of the piece</h1><p>${'Filler sentence for a real article body. '.repeat(10)}</p>${inner}</article></body></html>`;
const render = (inner: string) => parse(renderHtml(extract(loadBytes(Buffer.from(page(inner)), { name: 't', url: 'https://example.org/story' })), templates));

describe('tables with more than one level of headers', () => {
  // A title row spanning the table, then a header row inside the body, then data (lwn-1 style).
  const document = render(`<table>
    <tr><th colspan="3">Companies supporting development</th></tr>
    <tr><th colspan="3">(by changesets)</th></tr>
    <tr><td>Red Hat</td><td>8417</td><td>38.0%</td></tr>
    <tr><td>Collabora</td><td>6531</td><td>29.5%</td></tr>
  </table>`);
  it('give every header cell an id and every data cell the headers above it (H43), not scope', () => {
    const ths = [...document.querySelectorAll('th')];
    expect(ths.map((th) => th.id)).toEqual(['cc-t1-h1', 'cc-t1-h2']);
    expect(ths.every((th) => !th.hasAttribute('scope'))).toBe(true);
    const tds = [...document.querySelectorAll('td')];
    expect(tds).toHaveLength(6);
    for (const td of tds) expect(td.getAttribute('headers')?.split(' ').sort()).toEqual(['cc-t1-h1', 'cc-t1-h2']);
  });
  it('associate row headers to the left as well as column headers above', () => {
    const d = render(`<table><thead><tr><th></th><th colspan="2">2023</th></tr><tr><th>Team</th><th>Won</th><th>Lost</th></tr></thead>
      <tbody><tr><th>Red</th><td>3</td><td>1</td></tr><tr><th>Blue</th><td>2</td><td>2</td></tr></tbody></table>`);
    const won = [...d.querySelectorAll('td')].find((td) => td.textContent === '3')!;
    const ids = Object.fromEntries([...d.querySelectorAll('th')].map((th) => [th.textContent, th.id]));
    expect(won.getAttribute('headers')?.split(' ').sort()).toEqual([ids['2023'], ids.Won, ids.Red].sort());
  });
  it('leave simple tables with scope only', () => {
    const d = render('<table><thead><tr><th>Team</th><th>Points</th></tr></thead><tbody><tr><td>Red</td><td>3</td></tr><tr><td>Blue</td><td>5</td></tr></tbody></table>');
    expect([...d.querySelectorAll('th')].map((th) => [th.getAttribute('scope'), th.id])).toEqual([['col', ''], ['col', '']]);
    expect(d.querySelector('td[headers]')).toBeNull();
  });
});

describe('a footer row that repeats the column headers', () => {
  it('is dropped, so the headers are read once and each has data cells', () => {
    const d = render(`<table><thead><tr><th>Pos</th><th>Player</th><th>Plays</th></tr></thead>
      <tbody><tr><td>DL</td><td>Jane Doe</td><td>13</td></tr><tr><td>LB</td><td>John Roe</td><td>40</td></tr></tbody>
      <tfoot><tr><th>Pos</th><th>Player</th><th>Plays</th></tr></tfoot></table>`);
    expect(d.querySelector('tfoot')).toBeNull();
    expect(d.querySelectorAll('th')).toHaveLength(3);
    expect(d.querySelector('td[headers]')).toBeNull();
  });
  it('is dropped too when the source puts <tfoot> before <tbody> (HTML 4), in the HTML and the text copy', () => {
    const inner = `<table><thead><tr><th>Pos</th><th>Player</th><th>Plays</th></tr></thead>
      <tfoot><tr><th>Pos</th><th>Player</th><th>Plays</th></tr></tfoot>
      <tbody><tr><td>DL</td><td>Jane Doe</td><td>13</td></tr><tr><td>LB</td><td>John Roe</td><td>40</td></tr></tbody></table>`;
    const d = render(inner);
    expect(d.querySelectorAll('th')).toHaveLength(3);
    expect([...d.querySelectorAll('tbody tr')].map((tr) => tr.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['DL Jane Doe 13', 'LB John Roe 40']);
    const text = renderText(extract(loadBytes(Buffer.from(page(inner)), { name: 't', url: 'https://example.org/story' })), templates, { width: 0 });
    expect(text.match(/Pos/g)).toHaveLength(3); // "Columns: Pos, …" and once per row, never a row of headers
  });
  it('is kept when it says something else (totals)', () => {
    const d = render(`<table><thead><tr><th>Team</th><th>Points</th></tr></thead>
      <tbody><tr><td>Red</td><td>3</td></tr><tr><td>Blue</td><td>5</td></tr></tbody>
      <tfoot><tr><th>Total</th><td>8</td></tr></tfoot></table>`);
    expect(d.querySelector('tfoot')?.textContent).toContain('Total');
  });
});
