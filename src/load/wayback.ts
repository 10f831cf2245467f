/**
 * Wayback Machine snapshots saved to disk (`web.archive.org/web/<timestamp>/<url>` pages): the
 * archive injects a toolbar, its own scripts and styles, and rewrites every URL to go through it.
 * This turns such a page back into the publisher's page, before any parsing.
 */

/** What a snapshot says about itself. */
export interface WaybackInfo {
  html: string;
  /** Capture time as ISO 8601 (UTC), from the 14-digit timestamp. */
  capturedAt?: string;
  /** The address that was archived. */
  originalUrl?: string;
}

const ARCHIVE_PREFIX = String.raw`(?:(?:https?:)?//web\.archive\.org)?/web/(\d{14})(?:[a-z]{2}_|\*)?/`;

/** True when the HTML carries the Wayback Machine's fingerprints. */
export function isWaybackSnapshot(html: string): boolean {
  return /<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->|__wm\.(init|wombat)|web-static\.archive\.org|FILE ARCHIVED ON .* AND RETRIEVED FROM THE INTERNET ARCHIVE/i.test(html);
}

/**
 * Removes the injected toolbar, scripts and styles, rewrites archived link targets back to the
 * original addresses (images keep their archived, still-resolving addresses), and reads the
 * capture timestamp and the original URL. Returns undefined for pages that are not snapshots.
 */
export function unwrapWayback(html: string): WaybackInfo | undefined {
  if (!isWaybackSnapshot(html)) return undefined;
  let timestamp: string | undefined;
  let originalUrl: string | undefined;
  const wombat = /__wm\.wombat\(\s*["']([^"']+)["']\s*,\s*["'](\d{14})["']/.exec(html);
  if (wombat) [, originalUrl, timestamp] = wombat;
  if (!timestamp) {
    const canonical = new RegExp(`<link[^>]+rel=["']?canonical["']?[^>]*href=["']${ARCHIVE_PREFIX}([^"']+)["']`, 'i').exec(html)
      ?? new RegExp(`<meta[^>]+property=["']og:url["'][^>]*content=["']${ARCHIVE_PREFIX}([^"']+)["']`, 'i').exec(html);
    if (canonical) [, timestamp, originalUrl] = canonical;
  }
  if (!timestamp) timestamp = mostCommon([...html.matchAll(new RegExp(ARCHIVE_PREFIX, 'g'))].map((m) => m[1]!));

  let clean = html
    .replace(/<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->[\s\S]*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->/gi, '')
    .replace(/<script\b[^>]*\bsrc=["'][^"']*(?:web-static\.archive\.org|\/_static\/|archive\.org\/includes\/)[^"']*["'][^>]*>\s*<\/script>/gi, '')
    .replace(/<script\b[^>]*>(?:(?!<\/script>)[\s\S])*?(?:__wm\.|wombat|archive_analytics|_wb_wombat|WB_wombat)(?:(?!<\/script>)[\s\S])*?<\/script>/gi, '')
    .replace(/<link\b[^>]*\bhref=["'][^"']*(?:web-static\.archive\.org|\/_static\/css\/)[^"']*["'][^>]*>/gi, '')
    .replace(/<!--\s*(?:End Wayback Rewrite JS Include|playback timings)[\s\S]*?-->/gi, '')
    .replace(/<!--\s*FILE ARCHIVED ON[\s\S]*?-->/gi, '');
  // Link targets go back to the original site; image and other sources keep the archive's copy, made absolute.
  clean = clean.replace(new RegExp(`(\\shref\\s*=\\s*["'])${ARCHIVE_PREFIX}`, 'gi'), '$1');
  clean = clean.replace(new RegExp(`(\\s(?:src|srcset|data-src|data-srcset|poster)\\s*=\\s*["'])/web/`, 'gi'), '$1https://web.archive.org/web/');
  const info: WaybackInfo = { html: clean };
  if (timestamp) info.capturedAt = timestampToIso(timestamp);
  if (originalUrl) info.originalUrl = originalUrl.replace(new RegExp(`^${ARCHIVE_PREFIX}`), '');
  return info;
}

/** `20160831123456` → `2016-08-31T12:34:56Z`. */
export function timestampToIso(timestamp: string): string {
  const t = timestamp.padEnd(14, '0');
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
