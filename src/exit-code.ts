import type { RunResult } from './model/run-result.js';
import type { Severity } from './model/finding.js';

/** The lowest severity that fails the gate, or `never`. */
export type FailOn = Severity | 'never';

/** Exit codes, as ESLint uses them: 0 pass, 1 the gate failed, 2 usage, configuration or fatal error. */
export const EXIT = { PASS: 0, GATE_FAILED: 1, FATAL: 2 } as const;

/**
 * Decides a run's exit code. A page that could not be processed or audited always fails the gate
 * (it is never a pass); otherwise the gate fails when more than `threshold` findings are at or
 * above `failOn` (default: any error).
 */
export function exitCodeFor(run: RunResult, gate: { failOn?: FailOn; threshold?: number } = {}): 0 | 1 {
  if (run.totals.failedPages > 0) return EXIT.GATE_FAILED;
  const failOn = gate.failOn ?? 'error';
  if (failOn === 'never') return EXIT.PASS;
  const rank: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };
  const counted = run.pages.reduce((sum, page) => sum + page.findings.filter((f) => rank[f.severity] >= rank[failOn]).length, 0);
  return counted > (gate.threshold ?? 0) ? EXIT.GATE_FAILED : EXIT.PASS;
}
