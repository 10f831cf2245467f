// Small helpers the reporters share. Pure.
import { counts as countsUnder, gateVerdict, type FailOn, type Verdict } from '../gate/exit-code.js';
import type { Severity } from '../model/finding.js';
import type { PageResult, ReportedFinding, RunResult } from '../model/run-result.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The verdict stored in the run by the gate, or the default gate's verdict. */
export function verdictOf(run: RunResult): Verdict {
  return gateVerdict(run);
}

/** The fail-on level that applies to a page. */
export function failOnOf(run: RunResult, page: PageResult): FailOn {
  return page.failOn ?? run.gate?.failOn ?? 'error';
}

/** True when a finding counts against the gate on its page. */
export function isCounted(run: RunResult, page: PageResult, finding: ReportedFinding): boolean {
  return finding.baseline !== 'known' && countsUnder(finding.severity, failOnOf(run, page));
}

/** One rule's findings on one page. */
export interface RuleGroup {
  code: string;
  findings: ReportedFinding[];
}

/** A page's findings grouped by rule code, in order of first appearance. */
export function byRule(findings: readonly ReportedFinding[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const finding of findings) {
    let group = groups.get(finding.code);
    if (!group) groups.set(finding.code, (group = { code: finding.code, findings: [] }));
    group.findings.push(finding);
  }
  return [...groups.values()];
}

/** A finding's message without the trailing `(https://dequeuniversity…)` link axe adds. */
export function plainMessage(message: string): string {
  return message.replace(/\s*\(https?:\/\/[^)\s]+\)\s*$/, '').trim();
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Findings sorted most serious first, stable otherwise. */
export function bySeverity<T extends { severity: Severity }>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
