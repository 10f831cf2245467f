// Human output for a terminal. Colour is the caller's decision (context.color): the CLI turns it
// on only for a TTY without NO_COLOR.
import type { PageResult, ReportedFinding, RunResult } from '../model/run-result.js';
import type { ReportContext } from './index.js';
import { bySeverity, failOnOf, isCounted, plainMessage, plural, verdictOf } from './common.js';

type Paint = (text: string) => string;
interface Palette { red: Paint; yellow: Paint; green: Paint; dim: Paint; bold: Paint }

const ansi = (open: number, close: number): Paint => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const COLORS: Palette = { red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), dim: ansi(2, 22), bold: ansi(1, 22) };
const PLAIN: Palette = { red: (t) => t, yellow: (t) => t, green: (t) => t, dim: (t) => t, bold: (t) => t };

/**
 * The run for a person at a terminal: per page a line with its counts, then each error and
 * warning (and notice, with `--fail-on notice`) with its message, element, markup excerpt and the
 * exact code to put in an ignore list; issues known in the baseline are counted, not listed. Ends
 * with the verdict and its reasons.
 */
export function cliReporter(run: RunResult, context: ReportContext = {}): string {
  const c = context.color ? COLORS : PLAIN;
  const out: string[] = [];
  for (const page of run.pages) {
    if (context.quiet && page.status === 'ok' && !page.findings.some((f) => isCounted(run, page, f))) continue;
    out.push(...pageLines(run, page, c));
  }
  const verdict = verdictOf(run);
  const t = run.totals;
  const baseline = run.gate?.baseline;
  out.push('');
  out.push(`${run.standard} · ${plural(t.pages, 'page')}${t.failedPages ? ` (${t.failedPages} could not be audited)` : ''} · ${plural(t.error, 'error')} · ${plural(t.warning, 'warning')} · ${plural(t.notice, 'notice')}${run.gate?.ignored ? ` · ${run.gate.ignored} ignored` : ''}`);
  if (baseline) out.push(`baseline ${baseline.file}: ${baseline.known} known, ${baseline.new} new, ${baseline.fixed} fixed`);
  out.push(verdict.passed ? c.green('✓ passed') : c.red(`✗ failed: ${verdict.reasons.join('; ')}`));
  return `${out.join('\n')}\n`;
}

function pageLines(run: RunResult, page: PageResult, c: Palette): string[] {
  if (page.status === 'failed') return [`${c.red('✗')} ${c.bold(page.input)}  ${c.red('could not be audited:')} ${page.error?.message ?? ''}`];
  const counted = page.findings.filter((f) => isCounted(run, page, f));
  const { error, warning, notice } = page.counts;
  const mark = counted.length ? c.red('✗') : c.green('✓');
  const head = `${mark} ${c.bold(page.input)}  ${page.audited ? `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}` : 'not audited'}`;
  const lines = [head];
  const failOn = failOnOf(run, page);
  const shown = bySeverity(page.findings.filter((f) => f.baseline !== 'known' && (f.severity !== 'notice' || failOn === 'notice' || f.source === 'clearcopy')));
  for (const finding of shown) lines.push(...findingLines(finding, isCounted(run, page, finding), c));
  const known = page.findings.filter((f) => f.baseline === 'known').length;
  if (known) lines.push(c.dim(`  ${plural(known, 'issue')} known in the baseline, not listed`));
  return lines;
}

function findingLines(finding: ReportedFinding, counted: boolean, c: Palette): string[] {
  const label = finding.severity.padEnd(7);
  const paint = finding.severity === 'error' ? c.red : finding.severity === 'warning' ? c.yellow : c.dim;
  const lines = [`  ${paint(label)} ${plainMessage(finding.message)}${finding.baseline === 'new' ? c.bold(' [new]') : ''}${counted ? '' : c.dim(' (not counted)')}`];
  if (finding.selector) lines.push(`          ${c.dim('element')} ${finding.selector}${finding.line ? c.dim(` (line ${finding.line})`) : ''}`);
  if (finding.context) lines.push(`          ${c.dim('markup ')} ${finding.context.replace(/\s+/g, ' ').slice(0, 160)}`);
  lines.push(`          ${c.dim('ignore ')} ${finding.code}  ${c.dim(`(${finding.source})`)}`);
  return lines;
}
