// The static server that gives local files a real origin for `clearcopy audit`.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonFolder, serveSite, type SiteServer } from '../../src/audit/site-server.js';
import { SITE } from '../site-fixture.js';

let server: SiteServer;
beforeAll(async () => { server = await serveSite(SITE); });
afterAll(() => server.close());

describe('site server', () => {
  it('listens on 127.0.0.1 and maps files under the root to URLs', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.urlFor(path.join(SITE, 'sub', 'next.html'))).toBe(`${server.origin}/sub/next.html`);
    expect(() => server.urlFor(path.join(SITE, '..', 'other.html'))).toThrow(/outside the site root/);
  });

  it('sends each file with its MIME type, and 404 for a missing one', async () => {
    const types: Record<string, RegExp> = {
      'login.html': /^text\/html/, 'css/site.css': /^text\/css/, 'js/inject.js': /javascript/, 'data/rows.json': /^application\/json/,
      'fonts/open-sans-700.woff2': /^font\/woff2/, 'img/photo.png': /^image\/png/, 'sitemap.xml': /xml/,
    };
    for (const [file, type] of Object.entries(types)) {
      const response = await fetch(`${server.origin}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(type);
      await response.arrayBuffer();
    }
    for (const missing of ['nothing.html', 'css/nothing.css', '../package.json', '%2e%2e/%2e%2e/package.json', '.pa11yci.json']) {
      const response = await fetch(`${server.origin}/${missing}`);
      expect(response.status, missing).toBe(404);
      await response.arrayBuffer();
    }
  });

  it('roots a run at the deepest folder holding every page', () => {
    expect(commonFolder([path.join(SITE, 'login.html'), path.join(SITE, 'sub', 'next.html')])).toBe(SITE);
    expect(commonFolder([path.join(SITE, 'sub', 'next.html')])).toBe(path.join(SITE, 'sub'));
  });
});
