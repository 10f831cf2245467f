// Baselines: the issues a project has accepted so far, so only new ones fail the gate. Pure
// functions; reading and writing the file is the CLI's job.
import { z } from 'zod';
import { ClearcopyError } from '../errors.js';
import type { Severity } from '../model/finding.js';
import { pageKey, type RunResult } from '../model/run-result.js';
import { counts, type FailOn } from './exit-code.js';
import { fingerprintOf } from './gate.js';

/** A baseline file: the issues accepted so far; only issues not in it fail the gate. */
export interface Baseline {
  clearcopyBaseline: 1;
  createdAt: string;
  standard: string;
  issues: BaselineIssue[];
}

/** One accepted issue, matched by page + rule code + element fingerprint (never by line numbers). */
export interface BaselineIssue {
  page: string;
  code: string;
  fingerprint: string;
  severity: Severity;
  /** For people reading the file; not used for matching. */
  selector?: string;
  message?: string;
}

/**
 * A baseline accepting a run's current issues: every error and warning (and notices too when
 * `failOn` is `notice`), sorted so the file diffs well. Entries of `previous` for pages this run did
 * not check are kept, so a partial run or one shard does not forget the others.
 */
export function baselineOf(run: RunResult, failOn: FailOn = 'error', previous?: Baseline): Baseline {
  const lowest: FailOn = failOn === 'notice' ? 'notice' : 'warning';
  const checked = new Set(run.pages.filter((page) => page.status === 'ok' && page.audited).map(pageKey));
  const issues: BaselineIssue[] = (previous?.issues ?? []).filter((issue) => !checked.has(issue.page));
  for (const page of run.pages) {
    if (!checked.has(pageKey(page))) continue;
    const key = pageKey(page);
    for (const finding of page.findings) {
      if (!counts(finding.severity, lowest)) continue;
      const issue: BaselineIssue = { page: key, code: finding.code, fingerprint: finding.fingerprint ?? fingerprintOf(key, finding), severity: finding.severity };
      if (finding.selector) issue.selector = finding.selector;
      issue.message = finding.message;
      issues.push(issue);
    }
  }
  issues.sort((a, b) => compare(a.page, b.page) || compare(a.code, b.code) || compare(a.fingerprint, b.fingerprint));
  return { clearcopyBaseline: 1, createdAt: run.finishedAt, standard: run.standard, issues };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const BaselineSchema = z.object({
  clearcopyBaseline: z.literal(1),
  createdAt: z.string(),
  standard: z.string(),
  issues: z.array(z.object({
    page: z.string(),
    code: z.string(),
    fingerprint: z.string(),
    severity: z.enum(['error', 'warning', 'notice']),
    selector: z.string().optional(),
    message: z.string().optional(),
  })),
});

/** Parses a baseline file's text; throws a `USAGE` error naming the file and the problem. */
export function parseBaseline(text: string, file: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClearcopyError('USAGE', `${file}: the baseline is not valid JSON (${(error as Error).message})`, { file });
  }
  const result = BaselineSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ClearcopyError('USAGE', `${file}: not a clearcopy baseline: ${issue.path.join('.') || '(top level)'}: ${issue.message} (write one with --update-baseline)`, { file });
  }
  return result.data as Baseline;
}
