// Sitemaps and URL lists as `clearcopy audit` reads them: index files, gzip, find/replace, exclude.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite, type SiteServer } from '../../src/audit/site-server.js';
import { urlsFromList, urlsFromSitemap } from '../../src/load/sitemap.js';
import { SITE, SITE_PAGES } from '../site-fixture.js';

const PRODUCTION = 'https://www.example.org';
const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-sitemap-'));
let server: SiteServer;
beforeAll(async () => { server = await serveSite(SITE); });
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('sitemaps', () => {
  it('reads a sitemap file as it is', async () => {
    const urls = await urlsFromSitemap(path.join(SITE, 'sitemap.xml'));
    expect(urls).toEqual(SITE_PAGES.map((page) => `${PRODUCTION}/${path.basename(page.file)}`));
  });

  it('follows a sitemap index over HTTP, a gzipped sitemap included, pointed at another host with find/replace', async () => {
    const urls = await urlsFromSitemap(`${server.origin}/sitemap-index.xml`, { find: PRODUCTION, replace: server.origin });
    expect(urls).toEqual(SITE_PAGES.map((page) => server.urlFor(page.file)));
  });

  it('leaves out pages matching --sitemap-exclude', async () => {
    const urls = await urlsFromSitemap(path.join(SITE, 'sitemap.xml'), { exclude: 'login|timer' });
    expect(urls).toHaveLength(SITE_PAGES.length - 2);
    expect(urls.some((url) => /login|timer/.test(url))).toBe(false);
  });

  it('names a sitemap that cannot be read, fetched or parsed', async () => {
    await expect(urlsFromSitemap(path.join(SITE, 'missing.xml'))).rejects.toThrow(/missing\.xml: the sitemap could not be read/);
    await expect(urlsFromSitemap(`${server.origin}/missing.xml`)).rejects.toThrow(/missing\.xml: the sitemap could not be read \(the server answered 404/);
    await expect(urlsFromSitemap(path.join(SITE, 'login.html'))).rejects.toThrow(/login\.html: not a (readable )?sitemap/);
    const broken = path.join(work, 'broken.xml');
    writeFileSync(broken, '<urlset><url><loc>https://a.example/</loc></url>');
    await expect(urlsFromSitemap(broken)).rejects.toThrow(/broken\.xml: not a readable sitemap/);
  });
});

describe('URL lists', () => {
  it('takes one URL or path a line, skipping comments and blank lines, paths relative to the list', async () => {
    const list = path.join(work, 'pages.txt');
    writeFileSync(list, '# staging\nhttps://staging.example.org/a\n\n  site/b.html  \n');
    expect(await urlsFromList(list)).toEqual(['https://staging.example.org/a', path.join(work, 'site', 'b.html')]);
  });
});
