// The options clearcopy hands to pa11y's in-page runner: the axe "needs review" level cap.
import os from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { auditSources } from '../../src/run/audit.js';
import { DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW, pa11yRunOptions, type RunSettings } from '../../src/audit/pa11y-scripts.js';
import { openAuditor } from '../../src/audit/auditor.js';
import { ClearcopyError } from '../../src/errors.js';

const settings: RunSettings = {
  standard: 'WCAG2AA', runners: ['htmlcs', 'axe'], ignore: ['WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail'],
  rootElement: null, hideElements: null, includeWarnings: true, includeNotices: true,
};

describe('levelCapWhenNeedsReview', () => {
  it('caps axe results that need review at warning by default (pa11y itself says error)', () => {
    expect(DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW).toBe('warning');
    expect(pa11yRunOptions(settings).levelCapWhenNeedsReview).toBe('warning');
  });

  it('passes the level it is given, so pa11y-compatible counting is one option away', () => {
    for (const level of ['error', 'warning', 'notice'] as const) {
      expect(pa11yRunOptions({ ...settings, levelCapWhenNeedsReview: level }).levelCapWhenNeedsReview).toBe(level);
    }
  });

  it('leaves the rest of pa11y\'s options as pa11y builds them', () => {
    const options = pa11yRunOptions({ ...settings, includeWarnings: false });
    expect(options.ignore).toEqual(['wcag2aa.principle1.guideline1_4.1_4_3.g18.fail', 'warning']);
    expect(options).toMatchObject({ rules: [], wait: 0, standard: 'WCAG2AA', runners: ['htmlcs', 'axe'] });
  });

  it('refuses an unknown level before starting a browser', async () => {
    const opening = openAuditor({ levelCapWhenNeedsReview: 'fatal' as never, browserPath: '/nonexistent/chromium' });
    await expect(opening).rejects.toBeInstanceOf(ClearcopyError);
    await expect(opening).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('clearcopy audit: pages in hand at once', () => {
  // Pages whose loading fails never start a browser; how many load at once shows the concurrency.
  async function peakLoading(count: number, concurrency?: number): Promise<number> {
    let loading = 0;
    let peak = 0;
    const sources = Array.from({ length: count }, (_, i) => ({
      label: `page-${i}.html`,
      rawName: `page-${i}`,
      load: async () => {
        peak = Math.max(peak, ++loading);
        await new Promise((resolve) => setTimeout(resolve, 20));
        loading--;
        throw new ClearcopyError('INPUT_NOT_FOUND', `page-${i}.html: no such file`);
      },
    }));
    const { pages } = await auditSources(sources, concurrency ? { audit: { concurrency } } : {});
    expect(pages).toHaveLength(count);
    expect(pages.every((page) => page.status === 'failed' && page.error?.code === 'INPUT_NOT_FOUND')).toBe(true);
    return peak;
  }

  it('is the number of cores plus two by default, as the help says (pages spend part of their time waiting)', async () => {
    const cores = vi.spyOn(os, 'availableParallelism').mockReturnValue(5);
    try {
      expect(await peakLoading(12)).toBe(7);
    } finally {
      cores.mockRestore();
    }
  });

  it('is --concurrency when given, and never more than the pages', async () => {
    expect(await peakLoading(12, 3)).toBe(3);
    expect(await peakLoading(2, 8)).toBe(2);
  });
});
