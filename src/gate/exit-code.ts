import type { RunResult } from '../model/run-result.js';
import type { Severity } from '../model/finding.js';

/** The lowest severity that fails the gate, or `never`. */
export type FailOn = Severity | 'never';

/** Exit codes, as ESLint uses them: 0 pass, 1 the gate failed, 2 usage, configuration or fatal error. */
export const EXIT = { PASS: 0, GATE_FAILED: 1, FATAL: 2 } as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What fails a run: the lowest severity that counts, and how many counted issues are allowed. */
export interface Gate {
  /** Lowest severity that counts against the threshold (default: the run's own `gate.failOn`, else `error`). */
  failOn?: FailOn;
  /** Counted issues allowed (default: the run's own `gate.threshold`, else 0). */
  threshold?: number;
}

/** A command that stopped before it had a run to judge: bad usage, a bad config file, no browser… */
export interface FatalOutcome {
  fatal: { code: string; message: string };
}

/** The gate's verdict on a run, with the numbers behind it. */
export interface Verdict {
  exitCode: 0 | 1;
  passed: boolean;
  failOn: FailOn;
  threshold: number;
  /** Issues at or above `failOn` (a page's own `failOn` where it has one), not known in a baseline. */
  counted: number;
  /** Of `counted`, those a baseline marked `new`. */
  countedNew: number;
  /** Pages that could not be loaded, processed or audited. */
  failedPages: number;
  /** One line per reason the run failed; empty when it passed. */
  reasons: string[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/** True when an issue of `severity` counts under `failOn`. */
export function counts(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && RANK[severity] >= RANK[failOn];
}

/**
 * Judges a run, in this order:
 * 1. every page that could not be loaded, processed or audited (including timeouts) fails the run,
 *    whatever `failOn` says — a page that was not checked is never a pass;
 * 2. each page's issues at or above its `failOn` (the page's own override, else the gate's) are
 *    counted, except issues a baseline marked `known`;
 * 3. the run fails when more than `threshold` issues were counted.
 */
export function gateVerdict(run: RunResult, gate: Gate = {}): Verdict {
  const failOn = gate.failOn ?? run.gate?.failOn ?? 'error';
  const threshold = gate.threshold ?? run.gate?.threshold ?? 0;
  let counted = 0;
  let countedNew = 0;
  let failedPages = 0;
  for (const page of run.pages) {
    if (page.status === 'failed') failedPages++;
    const pageFailOn = page.failOn ?? failOn;
    for (const finding of page.findings) {
      if (finding.baseline === 'known' || !counts(finding.severity, pageFailOn)) continue;
      counted++;
      if (finding.baseline === 'new') countedNew++;
    }
  }
  const reasons: string[] = [];
  if (run.interrupted) reasons.push(`the run was interrupted (${run.interrupted.reason}): ${run.interrupted.notProcessed} ${run.interrupted.notProcessed === 1 ? 'page was' : 'pages were'} not processed`);
  if (failedPages > 0) reasons.push(`${failedPages} ${failedPages === 1 ? 'page' : 'pages'} could not be audited`);
  if (counted > threshold) {
    const one = counted === 1;
    const what = { error: one ? 'error' : 'errors', warning: one ? 'error or warning' : 'errors and warnings', notice: one ? 'issue' : 'issues', never: one ? 'issue' : 'issues' }[failOn];
    const fresh = run.gate?.baseline || countedNew ? ' not in the baseline' : '';
    reasons.push(`${counted} ${what}${fresh} (${threshold} allowed)`);
  }
  const passed = reasons.length === 0;
  return { exitCode: passed ? EXIT.PASS : EXIT.GATE_FAILED, passed, failOn, threshold, counted, countedNew, failedPages, reasons };
}

/**
 * Decides a command's exit code — the only place clearcopy does:
 * - `2` (FATAL) when the command stopped before it had a run to judge: usage or configuration
 *   errors, an unreadable report or baseline, no browser;
 * - otherwise `1` (GATE_FAILED) or `0` (PASS) by {@link gateVerdict}: any page that could not be
 *   processed or audited fails the run (it is never a pass), then more than `threshold` issues at or
 *   above `failOn` (default: any error) fail it.
 */
export function exitCodeFor(outcome: RunResult | FatalOutcome, gate: Gate = {}): ExitCode {
  if ('fatal' in outcome) return EXIT.FATAL;
  return gateVerdict(outcome, gate).exitCode;
}
