// The fixture site in test/fixtures/site and how its pages are audited: shared by the tests that
// compare clearcopy's audit with pa11y's own run on the same pages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './helpers.js';

export const SITE = path.join(FIXTURES, 'site');

/** The pages, each with its pa11y actions (from the site's own .pa11yci.json). */
export const SITE_PAGES: { name: string; file: string; actions: string[] }[] = (
  JSON.parse(readFileSync(path.join(SITE, '.pa11yci.json'), 'utf8')) as { urls: (string | { url: string; actions?: string[] })[] }
).urls.map((entry) => {
  const url = typeof entry === 'string' ? entry : entry.url;
  return { name: url.replace(/\.html$/, ''), file: path.join(SITE, url), actions: typeof entry === 'string' ? [] : (entry.actions ?? []) };
});

/** Errors counted per "runner rule". */
export type RuleCounts = Record<string, number>;

/** Counts errors per runner and rule from findings (`source`) or pa11y issues (`runner`). */
export function errorCounts(issues: readonly { type?: string; severity?: string; runner?: string; source?: string; code: string }[]): RuleCounts {
  const counts: RuleCounts = {};
  for (const issue of issues) {
    if ((issue.type ?? issue.severity) !== 'error') continue;
    const key = `${issue.runner ?? issue.source} ${issue.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** A markdown table: page, runner, rule, clearcopy's count against pa11y's. */
export function comparisonTable(rows: { page: string; ours: RuleCounts; theirs: RuleCounts }[]): string {
  const lines = ['| page | runner | rule | clearcopy | pa11y |', '|---|---|---|---|---|'];
  for (const { page, ours, theirs } of rows) {
    const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
    if (keys.length === 0) lines.push(`| ${page} | – | (no errors) | 0 | 0 |`);
    for (const key of keys) {
      const [runner, rule] = key.split(' ');
      lines.push(`| ${page} | ${runner} | ${rule} | ${ours[key] ?? 0} | ${theirs[key] ?? 0} |`);
    }
  }
  return lines.join('\n');
}
