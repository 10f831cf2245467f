// The gate as data: ignores, per-page overrides and a baseline turn an audited run into a judged
// one (`run.gate`). Pure functions; reading and writing the baseline file is the CLI's job.
import { createHash } from 'node:crypto';
import { rulesFor } from '../config/glob.js';
import { countBySource, countFindings, pageKey, totalsOf, type PageResult, type ReportedFinding, type RunResult } from '../model/run-result.js';
import type { Baseline } from './baseline.js';
import { counts, gateVerdict, type FailOn } from './exit-code.js';

/** Overrides for the pages whose path or URL matches `match` (globs). Later matches win. */
export interface PageRule {
  match: string[];
  /** Rule codes ignored on these pages, on top of the run's. */
  ignore?: string[];
  /** These pages' own fail-on level. */
  failOn?: FailOn;
}

/** Everything the gate applies to a run. */
export interface GatePolicy {
  /** Lowest severity that fails the run (default: `error`). */
  failOn?: FailOn;
  /** Counted issues allowed (default: 0). */
  threshold?: number;
  /** Rule codes ignored on every page (optional; see {@link ignoreMatches}). */
  ignore?: string[];
  /** Per-page overrides (optional). */
  pages?: PageRule[];
  /** A baseline and the file it came from (optional). */
  baseline?: { file: string; data: Baseline };
}

/**
 * A stable fingerprint of an issue: a hash of the page, the rule code and the element — the
 * element's markup excerpt with whitespace collapsed, or, without one, its CSS selector without
 * positional parts (`:nth-child(3)`), so moving an element or adding lines above it keeps it.
 */
export function fingerprintOf(page: string, finding: Pick<ReportedFinding, 'code' | 'selector' | 'context'>): string {
  const element = finding.context
    ? finding.context.replace(/\s+/g, ' ').trim()
    : (finding.selector ?? '').replace(/:nth-(?:child|of-type)\(\d+\)/g, '').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${page}\n${finding.code}\n${element}`).digest('hex').slice(0, 20);
}

/**
 * True when an ignore entry covers a finding (pa11y's rules, case-insensitive): the exact rule code,
 * a severity (`notice`, `warning`), or a prefix ending in `*` (`WCAG2AA.Principle1.Guideline1_4.*`).
 */
export function ignoreMatches(entry: string, finding: Pick<ReportedFinding, 'code' | 'severity'>): boolean {
  const pattern = entry.trim().toLowerCase();
  const code = finding.code.toLowerCase();
  if (pattern === code || pattern === finding.severity) return true;
  return pattern.endsWith('*') && code.startsWith(pattern.slice(0, -1));
}

/**
 * Applies a gate policy to a run and returns the judged run: ignored issues removed (and counted
 * in `page.ignored`), per-page `failOn` set, every finding fingerprinted, issues marked `known` or
 * `new` against the baseline, counts and totals recomputed, and `run.gate` holding the verdict.
 * Without `policy.pages` a page keeps its `failOn`, and without `policy.baseline` findings keep
 * their baseline marks, so applying the same gate again to its own output (as `clearcopy check`
 * does) gives the same verdict.
 */
export function applyGate(run: RunResult, policy: GatePolicy = {}): RunResult {
  const failOn = policy.failOn ?? 'error';
  const threshold = policy.threshold ?? 0;
  const globalIgnore = policy.ignore ?? [];
  let ignoredTotal = 0;
  const pages = run.pages.map((page): PageResult => {
    const rules = rulesFor(page, policy.pages);
    const ignore = [...globalIgnore, ...rules.flatMap((rule) => rule.ignore ?? [])];
    // Without per-page rules (e.g. `check` on a report, no config) a page keeps the failOn it had.
    const pageFailOn = policy.pages ? rules.reduce<FailOn | undefined>((current, rule) => rule.failOn ?? current, undefined) : page.failOn;
    const key = pageKey(page);
    const kept: ReportedFinding[] = [];
    let ignored = page.ignored ?? 0;
    for (const finding of page.findings) {
      if (ignore.some((entry) => ignoreMatches(entry, finding))) {
        ignored++;
        continue;
      }
      // A new baseline replaces the old marks; without one, marks from an earlier run stay.
      const { baseline: mark, ...rest } = finding;
      kept.push({ ...rest, fingerprint: fingerprintOf(key, finding), ...(mark && !policy.baseline ? { baseline: mark } : {}) });
    }
    ignoredTotal += ignored - (page.ignored ?? 0);
    const result: PageResult = { ...page, findings: kept, counts: countFindings(kept), bySource: countBySource(kept) };
    if (ignored) result.ignored = ignored;
    if (pageFailOn) result.failOn = pageFailOn;
    else delete result.failOn;
    return result;
  });

  let baselineSummary: NonNullable<RunResult['gate']>['baseline'] = policy.baseline ? undefined : run.gate?.baseline;
  if (policy.baseline) {
    const remaining = new Map<string, number>();
    const keyOf = (page: string, code: string, fingerprint: string) => `${page}\u0000${code}\u0000${fingerprint}`;
    for (const issue of policy.baseline.data.issues) {
      const key = keyOf(issue.page, issue.code, issue.fingerprint);
      remaining.set(key, (remaining.get(key) ?? 0) + 1);
    }
    let known = 0;
    let fresh = 0;
    const checkedPages = new Set<string>();
    for (const page of pages) {
      const key = pageKey(page);
      if (page.status === 'ok' && page.audited) checkedPages.add(key);
      for (const finding of page.findings) {
        const entry = keyOf(key, finding.code, finding.fingerprint!);
        const left = remaining.get(entry) ?? 0;
        if (left > 0) {
          remaining.set(entry, left - 1);
          finding.baseline = 'known';
          known++;
        } else {
          finding.baseline = 'new';
          if (counts(finding.severity, page.failOn ?? failOn)) fresh++;
        }
      }
    }
    // Fixed: accepted issues on pages checked in this run that no longer occur. Pages this run did
    // not check (another shard, a failed load) say nothing about their baseline issues.
    let fixed = 0;
    for (const [entry, left] of remaining) if (left > 0 && checkedPages.has(entry.split('\u0000')[0]!)) fixed += left;
    baselineSummary = { file: policy.baseline.file, issues: policy.baseline.data.issues.length, known, new: fresh, fixed };
  }

  const judged: RunResult = { ...run, pages, totals: totalsOf(pages) };
  delete judged.gate;
  if (baselineSummary) judged.gate = { failOn, threshold, ignore: globalIgnore, counted: 0, ignored: 0, passed: true, reasons: [], baseline: baselineSummary };
  const verdict = gateVerdict(judged, { failOn, threshold });
  const previouslyIgnored = run.pages.reduce((sum, page) => sum + (page.ignored ?? 0), 0);
  judged.gate = {
    failOn,
    threshold,
    ignore: globalIgnore,
    counted: verdict.counted,
    ignored: previouslyIgnored + ignoredTotal,
    passed: verdict.passed,
    reasons: verdict.reasons,
    ...(baselineSummary ? { baseline: baselineSummary } : {}),
  };
  return judged;
}
