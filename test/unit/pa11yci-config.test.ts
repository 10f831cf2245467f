// pa11y-ci's config read as is by `clearcopy audit --config .pa11yci`, and the page-loading keys
// of clearcopy's own config.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { SITE, SITE_PAGES } from '../site-fixture.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-pa11yci-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (name: string, data: unknown) => {
  const file = path.join(work, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
};

describe("pa11y-ci's config", () => {
  it('reads defaults and urls (strings and objects with actions) as pa11y-ci does', async () => {
    const config = await loadConfig(path.join(SITE, '.pa11yci.json'));
    expect(config.pa11yCi).toBe(true);
    expect(config).toMatchObject({ standard: 'WCAG2AA', runners: ['htmlcs', 'axe'], timeout: 30_000, levelCapWhenNeedsReview: 'warning', failOn: 'error' });
    expect(config.urls?.map((entry) => entry.location)).toEqual(SITE_PAGES.map((page) => page.file));
    expect(config.urls?.at(-1)?.loading?.actions).toEqual(SITE_PAGES.at(-1)!.actions);
    expect(config.unsupported).toBeUndefined();
  });

  it('reads a .pa11yci.js (module.exports) and a .pa11yci.cjs as pa11y-ci does, and names a module that fails', async () => {
    const dir = path.join(work, 'js-config');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{}'); // no "type": a .js file is CommonJS, as in most pa11y-ci projects
    const js = path.join(dir, '.pa11yci.js');
    writeFileSync(js, "module.exports = { defaults: { standard: 'WCAG2AAA', timeout: 9000 }, urls: ['https://example.org/' + 'a'] };");
    expect(await loadConfig(js)).toMatchObject({ pa11yCi: true, standard: 'WCAG2AAA', timeout: 9000, urls: [{ location: 'https://example.org/a' }] });
    const cjs = path.join(dir, '.pa11yci.cjs');
    writeFileSync(cjs, "module.exports = { defaults: { runners: ['axe'] }, urls: ['page.html'] };");
    expect(await loadConfig(cjs)).toMatchObject({ pa11yCi: true, runners: ['axe'], urls: [{ location: path.join(dir, 'page.html') }] });
    const broken = path.join(dir, 'broken.cjs');
    writeFileSync(broken, 'module.exports = {');
    await expect(loadConfig(broken)).rejects.toThrow(/broken\.cjs: the config module failed to load/);
  });

  it("takes pa11y's defaults where clearcopy's differ, and its issue levels for the gate", async () => {
    const config = await loadConfig(write('.pa11yci', { defaults: { includeWarnings: true, concurrency: 3 }, urls: ['https://example.org/'] }));
    expect(config).toMatchObject({ runners: ['htmlcs'], timeout: 60_000, levelCapWhenNeedsReview: 'error', failOn: 'warning', concurrency: 3 });
    expect(config.urls).toEqual([{ location: 'https://example.org/' }]);
  });

  it('maps every supported option and names each unsupported one in a line of its own', async () => {
    const config = await loadConfig(write('ci.json', {
      defaults: {
        standard: 'WCAG2AAA', runners: ['axe'], timeout: 5000, wait: 200, hideElements: '.ad', rootElement: 'main', ignore: ['color-contrast'],
        actions: ['click element #menu'], viewport: { width: 320, height: 640 }, headers: { Cookie: 'a=b' },
        chromeLaunchConfig: { executablePath: '/usr/bin/chromium', args: ['--foo'], ignoreHTTPSErrors: true },
        method: 'POST', userAgent: 'me', screenCapture: 'shot.png',
      },
      urls: [{ url: 'page.html', wait: 10, timeout: 99, actions: ['check field #x'], postData: 'a' }],
    }));
    expect(config).toMatchObject({
      standard: 'WCAG2AAA', runners: ['axe'], timeout: 5000, wait: 200, hideElements: '.ad', rootElement: 'main', ignore: ['color-contrast'],
      actions: ['click element #menu', 'screen capture shot.png'], viewport: { width: 320, height: 640 }, headers: { Cookie: 'a=b' }, chrome: '/usr/bin/chromium',
    });
    expect(config.urls).toEqual([{ location: path.join(work, 'page.html'), loading: { wait: 10, actions: ['check field #x'] } }]);
    expect(config.unsupported).toEqual([
      'defaults.chromeLaunchConfig.args: clearcopy launches Chromium with its own settings',
      'defaults.method: pages are loaded with GET',
      "defaults.userAgent: clearcopy sends pa11y's own user agent",
      'urls[0].timeout: only supported in defaults',
      'urls[0].postData: pages are loaded with GET',
    ]);
  });

  it('names the file and the option for a value of the wrong type', async () => {
    await expect(loadConfig(write('.pa11yci.json', { defaults: { timeout: 'soon' }, urls: [] }))).rejects.toThrow(/\.pa11yci\.json: defaults\.timeout: .*"soon"/);
    await expect(loadConfig(write('.pa11yci.json', { defaults: { runners: ['htmlcs', 'lighthouse'] }, urls: [] }))).rejects.toThrow(/defaults\.runners: .*htmlcs.*axe/);
    await expect(loadConfig(write('.pa11yci.json', { urls: [{ actions: [] }] }))).rejects.toThrow(/urls\[0\]: expected a URL or an object with a "url"/);
  });
});

describe("clearcopy's config: page loading", () => {
  it('takes scripts, root, waitFor, wait, actions, urls and sitemap keys, paths relative to the config', async () => {
    const config = await loadConfig(write('clearcopy.config.json', {
      scripts: false, root: 'public', waitFor: '#app', wait: 50, actions: ['click element #ok'], blockHosts: ['ads.example'],
      urls: ['public/a.html', { url: 'https://example.org/b', actions: ['check field #x'] }],
      sitemap: 'public/sitemap.xml', sitemapFind: 'https://prod', sitemapReplace: 'https://staging', sitemapExclude: '/private/',
      pages: [{ match: 'public/*.html', waitFor: 'main' }],
    }));
    expect(config).toMatchObject({ scripts: false, root: path.join(work, 'public'), waitFor: '#app', wait: 50, sitemap: path.join(work, 'public', 'sitemap.xml'), sitemapFind: 'https://prod' });
    expect(config.urls).toEqual([{ location: path.join(work, 'public', 'a.html') }, { location: 'https://example.org/b', loading: { actions: ['check field #x'] } }]);
    await expect(loadConfig(write('clearcopy.config.json', { urls: [{ url: 'a.html', waitfor: 'x' }] }))).rejects.toThrow(/unknown key "waitfor".*did you mean "waitFor"/);
  });
});
