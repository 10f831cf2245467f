import { describe, expect, it } from 'vitest';
import { criteriaCounts, inertOriginal } from '../../src/compare/original.js';
import type { PageResult, RunResult } from '../../src/model/run-result.js';
import { comparison, comparisonChart } from '../../src/report/html.js';

const counts = (error: number, warning = 0, notice = 0) => ({ error, warning, notice });

function page(name: string, original: PageResult['original'], copyErrors: number): PageResult {
  const findings = Array.from({ length: copyErrors }, () => ({ source: 'axe' as const, code: 'image-alt', severity: 'error' as const, message: 'Images must have alternate text' }));
  return { name, input: `${name}.html`, status: 'ok', audited: true, findings, counts: counts(copyErrors), bySource: { axe: counts(copyErrors) }, durationMs: 1, ...(original ? { original } : {}) };
}

const run = (pages: PageResult[]): RunResult => ({
  schemaVersion: 1, tool: { name: 'clearcopy', version: '0' }, standard: 'WCAG2AA', runners: ['htmlcs', 'axe'], startedAt: '', finishedAt: '', pages,
  totals: { ...counts(0), pages: pages.length, failedPages: 0, auditedPages: pages.length },
});

describe('inertOriginal', () => {
  it('puts a no-script CSP first in the head and drops meta refreshes', () => {
    const html = inertOriginal('<html><head><meta http-equiv="refresh" content="0;url=x"><script>alert(1)</script></head><body></body></html>');
    expect(html).toMatch(/^<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'none';/);
    expect(html).not.toMatch(/refresh/);
  });
  it('adds a head when the page has none', () => {
    expect(inertOriginal('<p>x<script>alert(1)</script>')).toMatch(/^<meta http-equiv="Content-Security-Policy"/);
  });
});

describe('criteriaCounts', () => {
  it('counts a finding for each criterion it is tied to, and rules tied to none under other', () => {
    expect(criteriaCounts([
      { source: 'axe', code: 'image-alt', severity: 'error' },
      { source: 'htmlcs', code: 'WCAG2AA.Principle3.Guideline3_1.3_1_1.H57.2', severity: 'error' },
      { source: 'axe', code: 'region', severity: 'notice' },
    ])).toEqual({ '1.1.1': counts(1), '3.1.1': counts(1), other: counts(0, 0, 1) });
  });
});

describe('comparison', () => {
  it('is undefined when no page was compared', () => {
    expect(comparison(run([page('a', undefined, 1)]))).toBeUndefined();
  });

  it('sums originals and copies per criterion, leaving out pages whose original could not be audited', () => {
    const result = comparison(run([
      page('a', { counts: counts(3, 1), bySource: { axe: counts(3, 1) }, criteria: { '1.1.1': counts(2, 1), '3.1.1': counts(1) } }, 1),
      page('b', { counts: counts(0), bySource: {}, criteria: {}, error: { code: 'AUDIT_TIMEOUT', message: 'b (original): too slow' } }, 2),
      page('c', undefined, 5),
    ]))!;
    expect(result.total.before).toEqual(counts(3, 1));
    expect(result.total.after).toEqual(counts(1));
    expect(result.criteria.map((row) => [row.label, row.before.error, row.after.error])).toEqual([['1.1.1 Non-text Content', 2, 1], ['3.1.1 Language of Page', 1, 0]]);
    expect(result.pages.map((row) => row.label)).toEqual(['a', 'b']);
    expect(result.pages[1]!.error).toBe('b (original): too slow');
  });

  it('draws a chart whose description states every number', () => {
    const chart = comparisonChart('x', 'Errors', [{ label: 'All', before: counts(7), after: counts(0) }]);
    expect(chart).toContain('role="img"');
    expect(chart).toContain('All: 7 errors in the original, 0 in the copy.');
    expect(chart).toContain('7 → 0');
  });
});

describe('success criterion names', () => {
  it('are WCAG 2.2 titles, with a title for every criterion that has an Understanding document', async () => {
    const { CRITERION_TITLES, SUCCESS_CRITERIA, criterionName } = await import('../../src/model/wcag.js');
    expect(Object.keys(CRITERION_TITLES).sort()).toEqual(Object.keys(SUCCESS_CRITERIA).sort());
    expect(criterionName('1.4.3')).toBe('1.4.3 Contrast (Minimum)');
    expect(criterionName('4.1.2')).toBe('4.1.2 Name, Role, Value');
  });
});
