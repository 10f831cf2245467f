// The options clearcopy hands to pa11y's in-page runner: the axe "needs review" level cap.
import { describe, expect, it } from 'vitest';
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
