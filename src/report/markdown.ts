// A short summary in GitHub-flavoured Markdown, for $GITHUB_STEP_SUMMARY and pull-request comments.
import type { RunResult } from '../model/run-result.js';
import { isCounted, plainMessage, plural, verdictOf } from './common.js';
import { helpUrl } from '../model/wcag.js';

const MAX_PAGES = 30;
const MAX_RULES = 10;

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** Text as inline code in a table cell: only `|` needs escaping there (GFM), and backticks cannot appear. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

/**
 * The verdict, the totals, the baseline comparison, a table of pages (failed and failing first, at
 * most 30) and the rules with most counted issues (at most 10), each with the code to ignore it.
 */
export function markdownReporter(run: RunResult): string {
  const verdict = verdictOf(run);
  const t = run.totals;
  const lines: string[] = [];
  lines.push(`### ${verdict.passed ? '✅' : '❌'} clearcopy accessibility: ${verdict.passed ? 'passed' : 'failed'}`, '');
  lines.push(`${plural(t.pages, 'page')} against ${run.standard} · **${plural(t.error, 'error')}** · ${plural(t.warning, 'warning')} · ${plural(t.notice, 'notice')}${t.failedPages ? ` · **${plural(t.failedPages, 'page')} could not be audited**` : ''}${run.gate?.ignored ? ` · ${run.gate.ignored} ignored` : ''}`);
  if (verdict.reasons.length) lines.push('', ...verdict.reasons.map((reason) => `- ${reason}`));
  const baseline = run.gate?.baseline;
  if (baseline) lines.push('', `Baseline ${code(baseline.file)}: ${baseline.known} known, **${baseline.new} new**, ${baseline.fixed} fixed.`);

  const rows = run.pages.map((page) => {
    const counted = page.findings.filter((f) => isCounted(run, page, f)).length;
    const result = page.status === 'failed' ? `❌ ${cell(page.error?.message ?? 'failed')}` : counted ? `❌ ${plural(counted, 'issue')} counted` : page.audited ? '✅' : 'not audited';
    return { rank: page.status === 'failed' ? 0 : counted ? 1 : 2, row: `| ${code(page.input)} | ${result} | ${page.counts.error} | ${page.counts.warning} | ${page.counts.notice} |` };
  }).sort((a, b) => a.rank - b.rank);
  lines.push('', '| Page | Result | Errors | Warnings | Notices |', '|---|---|--:|--:|--:|', ...rows.slice(0, MAX_PAGES).map((r) => r.row));
  if (rows.length > MAX_PAGES) lines.push('', `…and ${rows.length - MAX_PAGES} more pages (see the full report).`);

  const rules = new Map<string, { code: string; count: number; pages: Set<string>; message: string; url: string }>();
  for (const page of run.pages) for (const finding of page.findings) {
    if (!isCounted(run, page, finding)) continue;
    const rule = rules.get(finding.code) ?? { code: finding.code, count: 0, pages: new Set(), message: plainMessage(finding.message), url: helpUrl(finding) };
    rule.count++;
    rule.pages.add(page.input);
    rules.set(finding.code, rule);
  }
  if (rules.size) {
    const top = [...rules].sort((a, b) => b[1].count - a[1].count).slice(0, MAX_RULES);
    lines.push('', '| Rule (code to ignore it) | Issues | Pages | What it means |', '|---|--:|--:|---|');
    for (const [, rule] of top) lines.push(`| ${code(rule.code)} | ${rule.count} | ${rule.pages.size} | [${cell(rule.message.slice(0, 120))}](${rule.url}) |`);
    if (rules.size > MAX_RULES) lines.push('', `…and ${rules.size - MAX_RULES} more rules.`);
  }
  return `${lines.join('\n')}\n`;
}
