// Local files are audited as a browser meets a site: served over HTTP from a real origin on the
// loopback interface, so relative URLs, <base>, @import, fonts, images and fetch/XHR of local JSON
// resolve as they would on the web host (file:// would block fetch and module scripts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';
import { ClearcopyError } from '../errors.js';

/** A static server for one run's local files; close it when the run is over. */
export interface SiteServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The folder served as `/` (undefined: only pages held in memory are served). */
  readonly root: string | undefined;
  /** The URL of a file under the root; throws `USAGE` for a file outside it. */
  urlFor(file: string): string;
  /**
   * Serves a page that has no address of its own (standard input, an archive record) from memory,
   * under a path no site file can have, until `forget` is called.
   */
  hold(html: string): { url: string; forget(): void };
  close(): Promise<void>;
}

/** Where pages held in memory are served: a dot folder, which no file of the site is served from. */
const HELD = '/.clearcopy-held/';

/**
 * Serves `root` on 127.0.0.1 on a free port: MIME types by extension (sirv with mrmime, HTML as
 * UTF-8), a folder's `index.html` for the folder, 404 for a missing file (the page sees it, as on a
 * web host), no directory listings, dotfiles hidden, nothing cached by the browser. Without a root,
 * only the pages held in memory are served.
 */
export async function serveSite(root?: string): Promise<SiteServer> {
  const dir = root === undefined ? undefined : path.resolve(root);
  const handler = dir === undefined ? undefined : sirv(dir, { dev: true, dotfiles: false, etag: false, extensions: [] });
  const held = new Map<string, string>();
  let heldCount = 0;
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.statusCode = 405;
      response.end();
      return;
    }
    // Dotfiles (.git, .env, a .pa11yci with credentials) are not part of a site (sirv's dev mode serves them).
    let pathname = '';
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    } catch {
      pathname = '/.';
    }
    const page = pathname.startsWith(HELD) ? held.get(pathname) : undefined;
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : page);
      return;
    }
    if (!handler || pathname.split('/').some((segment) => segment.startsWith('.') && segment !== '.well-known')) {
      response.statusCode = 404;
      response.end();
      return;
    }
    handler(request, response);
  });
  // A keep-alive socket left open by the browser must not hold the run open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    root: dir,
    urlFor(file) {
      if (dir === undefined) throw new ClearcopyError('USAGE', `${file}: no site root is served in this run`);
      const relative = path.relative(dir, path.resolve(file));
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        throw new ClearcopyError('USAGE', `${file}: outside the site root ${dir} (give --root a folder that holds every page)`);
      }
      // pathToFileURL percent-encodes each segment as a URL path needs.
      return origin + pathToFileURL(path.join('/', relative)).pathname.replace(/^\/[A-Za-z]:/, '');
    },
    hold(html) {
      const pathname = `${HELD}${++heldCount}.html`;
      held.set(pathname, html);
      return { url: origin + pathname, forget: () => void held.delete(pathname) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The deepest folder holding all of `files` (the site root when none is given). */
export function commonFolder(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let common = path.dirname(path.resolve(files[0]!)).split(path.sep);
  for (const file of files.slice(1)) {
    const parts = path.dirname(path.resolve(file)).split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}
