import type { Auditor } from '../audit/auditor.js';
import { ClearcopyError, describeError } from '../errors.js';
import type { Finding, FindingSource } from '../model/finding.js';
import { countBySource, countFindings, type Counts, type OriginalAudit } from '../model/run-result.js';
import { criteriaOf } from '../model/wcag.js';
import { withOwnStylesheets } from './stylesheets.js';

/**
 * The original archived page, made safe to audit: its scripts cannot run (a Content-Security-Policy
 * that allows no script is put first in <head>, and meta refreshes are removed) and, in the audit
 * browser, every request is blocked. What pa11y then sees is the page as a reader with scripts and
 * network off would meet it — the "before" of a before/after report.
 */
export function inertOriginal(html: string): string {
  const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'">`;
  let out = html.replace(/<meta\b[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*>/gi, '');
  if (/<head\b[^>]*>/i.test(out)) out = out.replace(/<head\b[^>]*>/i, (head) => `${head}${csp}`);
  else if (/<html\b[^>]*>/i.test(out)) out = out.replace(/<html\b[^>]*>/i, (root) => `${root}<head>${csp}</head>`);
  else out = `${csp}${out}`;
  return out;
}

/**
 * Audits the original page as a reader with scripts and network off meets it, styled by its own
 * stylesheets where the page came from holds them (`source`: the archive, MHTML file or saved
 * page's folder; see {@link withOwnStylesheets}), with the same auditor (standard, runners,
 * options) as the copy, and sums pa11y's findings. Our own runner's findings are left out: the
 * comparison is pa11y's view of both. Never rejects.
 */
export async function auditOriginal(auditor: Pick<Auditor, 'audit'>, html: string, label: string, source?: Parameters<typeof withOwnStylesheets>[1]): Promise<OriginalAudit> {
  try {
    const styled = source ? await withOwnStylesheets(html, source) : undefined;
    const outcome = await auditor.audit(inertOriginal(styled?.html ?? html), `${label} (original)`);
    const findings = outcome.findings.filter((finding) => finding.source !== 'clearcopy');
    return {
      counts: countFindings(findings),
      bySource: countBySource(findings),
      criteria: criteriaCounts(findings),
      ...(styled && (styled.stylesheets.found || styled.stylesheets.missing.length) ? { stylesheets: styled.stylesheets } : {}),
    };
  } catch (error) {
    const message = error instanceof ClearcopyError ? error.message : describeError(error);
    return {
      counts: { error: 0, warning: 0, notice: 0 },
      bySource: {},
      criteria: {},
      error: { code: error instanceof ClearcopyError ? error.code : 'AUDIT_FAILED', message: `${label} (original): ${message}` },
    };
  }
}

/** Issues per WCAG success criterion; a finding tied to several counts for each, one tied to none under `other`. */
export function criteriaCounts(findings: readonly Pick<Finding, 'code' | 'source' | 'severity'>[]): Record<string, Counts> {
  const result: Record<string, Counts> = {};
  for (const finding of findings) {
    const criteria = criteriaOf(finding);
    for (const criterion of criteria.length ? criteria : ['other']) (result[criterion] ??= { error: 0, warning: 0, notice: 0 })[finding.severity]++;
  }
  return result;
}
