// The screen-reader view check, in real Chromium: clean on clearcopy's copies, and it catches each
// problem on pages broken on purpose.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityTreeCheck } from '../../src/audit/ax-tree.js';
import { extract, loadFile, loadTemplates, openAuditor, renderCopy, type Auditor, type Finding } from '../../src/index.js';
import { SAMPLES } from '../helpers.js';

let auditor: Auditor;
beforeAll(async () => {
  auditor = await openAuditor({ runners: ['htmlcs'], pageChecks: [accessibilityTreeCheck], concurrency: 1 });
});
afterAll(() => auditor.close());

const ours = async (html: string): Promise<Finding[]> => (await auditor.audit(html, 'page.html')).findings.filter((f) => f.source === 'clearcopy');
const page = (body: string, { lang = 'en', title = 'The headline', dir = '' } = {}) =>
  `<!DOCTYPE html><html lang="${lang}"${dir ? ` dir="${dir}"` : ''}><head><title>${title}</title></head><body>${body}</body></html>`;
const prose = 'The council met on Tuesday evening to discuss the new library, which has been closed for repairs since the spring floods damaged its reading rooms and archive.';

describe('accessibility-tree check', () => {
  it.each(readdirSync(SAMPLES).filter((f) => f.endsWith('.html')))('finds nothing wrong in the copy of %s', async (file) => {
    const { html } = renderCopy(extract(await loadFile(path.join(SAMPLES, file))), loadTemplates());
    expect(await ours(html)).toEqual([]);
  });

  const cases: [string, string, Parameters<typeof page>[1]?][] = [
    ['ax-main-landmark', `<h1>The headline</h1><p>${prose}</p>`],
    ['ax-single-h1', `<main><h1>The headline</h1><h1>Another</h1><p>${prose}</p></main>`],
    ['ax-h1-is-headline', `<main><h1>Something else entirely</h1><p>${prose}</p></main>`],
    ['ax-heading-order', `<main><h1>The headline</h1><h3>Skipped a level</h3><p>${prose}</p></main>`],
    ['ax-image-name', `<main><h1>The headline</h1><img src="a.png"><p>${prose}</p></main>`],
    ['ax-image-name', `<main><h1>The headline</h1><img src="a.png" alt="DSC_0042.JPG"><p>${prose}</p></main>`],
    ['ax-link-name', `<main><h1>The headline</h1><p>${prose} <a href="https://example.org/"></a></p></main>`],
    ['ax-adjacent-links', `<main><h1>The headline</h1><p>${prose}</p><a href="https://example.org/x"><img src="x.png" alt="Story"></a><a href="https://example.org/x">Story</a></main>`],
    ['ax-table-headers', `<main><h1>The headline</h1><p>${prose}</p><table><caption>Scores</caption><tr><td>Red</td><td>3</td></tr><tr><td>Blue</td><td>5</td></tr></table></main>`],
    ['lang-valid', `<main><h1>The headline</h1><p>${prose}</p></main>`, { lang: 'english' }],
    ['lang-matches-text', `<main><h1>The headline</h1><p>${prose} ${prose} ${prose}</p></main>`, { lang: 'de' }],
    ['rtl-dir', `<main><h1>The headline</h1><p>أعلنت مكتبة الوراقين العامة، أمس الأحد، إطلاق مشروع واسع لرقمنة نحو عشرة آلاف مخطوطة نادرة من مقتنياتها، يعود أقدمها إلى القرن الرابع الهجري، على أن تتاح نسخها الرقمية مجانا للباحثين.</p></main>`, { lang: 'ar' }],
  ];
  it.each(cases)('catches %s', async (rule, body, options) => {
    const codes = (await ours(page(body, options))).map((f) => f.code);
    expect(codes).toContain(`clearcopy/${rule}`);
  });

  it('accepts a presentational image and a data table with headers', async () => {
    const body = `<main><h1>The headline</h1><img src="d.png" alt=""><p>${prose}</p><table><tr><th scope="col">Team</th><th scope="col">Points</th></tr><tr><td>Red</td><td>3</td></tr></table></main>`;
    expect(await ours(page(body))).toEqual([]);
  });
});
