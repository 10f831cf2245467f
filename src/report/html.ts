import path from 'node:path';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Counts, PageResult, ReportedFinding, RunResult, StylesheetsFound } from '../model/run-result.js';
import { DEFAULT_TEMPLATES_DIR } from '../render/templates.js';
import { contentSecurityPolicy } from '../render/html.js';
import type { ReportContext } from './index.js';
import { bySeverity, isCounted, plainMessage, plural, verdictOf } from './common.js';
import { criteriaOf, criterionName, criterionUrl, PRINCIPLES } from '../model/wcag.js';
import { criteriaCounts } from '../compare/original.js';

export { SUCCESS_CRITERIA, understandingUrl } from '../model/wcag.js';

let compiled: { template: Handlebars.TemplateDelegate; css: string } | undefined;

function reportTemplate() {
  if (!compiled) {
    const hb = Handlebars.create();
    const source = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'report.html.hbs'), 'utf8');
    const css = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'styles.css'), 'utf8') + readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'report.css'), 'utf8');
    compiled = { template: hb.compile(source), css };
  }
  return compiled;
}

/** One row of a chart and its table: a WCAG principle or success criterion and its issue counts. */
export interface ChartRow extends Counts {
  label: string;
  /** Its Understanding document, for criteria. */
  url?: string;
}

/**
 * Issues per WCAG principle and per success criterion over all pages. An issue about several
 * criteria counts once for each (and once per principle); issues tied to no criterion (axe best
 * practices) are counted in an "Other" row.
 */
export function wcagBreakdown(run: RunResult): { principles: ChartRow[]; criteria: ChartRow[] } {
  const principles = new Map<string, ChartRow>(Object.entries(PRINCIPLES).map(([n, name]) => [n, { label: `${n}. ${name}`, error: 0, warning: 0, notice: 0 }]));
  const other: ChartRow = { label: 'Other (no success criterion)', error: 0, warning: 0, notice: 0 };
  const criteria = new Map<string, ChartRow>();
  for (const page of run.pages) for (const finding of page.findings) {
    const list = criteriaOf(finding);
    if (list.length === 0) other[finding.severity]++;
    for (const principle of new Set(list.map((c) => c.split('.')[0]!))) {
      const row = principles.get(principle);
      if (row) row[finding.severity]++;
    }
    for (const criterion of list) {
      let row = criteria.get(criterion);
      if (!row) {
        row = { label: criterionName(criterion), error: 0, warning: 0, notice: 0 };
        const url = criterionUrl(criterion);
        if (url) row.url = url;
        criteria.set(criterion, row);
      }
      row[finding.severity]++;
    }
  }
  const numeric = (a: string) => a.split('.').map((n) => n.padStart(3, '0')).join('.');
  const sorted = [...criteria].sort((a, b) => (numeric(a[0]) < numeric(b[0]) ? -1 : 1)).map(([, row]) => row);
  return { principles: [...principles.values(), ...(other.error + other.warning + other.notice ? [other] : [])], criteria: sorted };
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A horizontal bar chart: one row per principle or criterion, each with its label, an inline SVG
 * bar (errors solid, then warnings outlined — told apart by shape, not colour) and the numbers.
 * The labels and numbers are HTML text, not SVG text, so contrast checkers can measure them. The
 * chart is one image to assistive technology (`role="img"`) whose name is the title and whose
 * description says every value; the same numbers are in the data table that follows it.
 */
export function barChart(id: string, title: string, rows: readonly ChartRow[]): string {
  const max = Math.max(1, ...rows.map((row) => row.error + row.warning));
  const desc = rows.map((row) => `${row.label}: ${plural(row.error, 'error')}, ${plural(row.warning, 'warning')}`).join('; ');
  const parts: string[] = [
    `<div class="chart" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">`,
    `<p class="chart-title" id="${id}-title">${escape(title)}</p>`,
    `<p id="${id}-desc" hidden>${escape(desc)}.</p>`,
  ];
  for (const row of rows) {
    // Bars on a 0–1000 scale; the SVG stretches to the row's width, strokes do not.
    const errorWidth = Math.round((row.error / max) * 1000);
    const warningWidth = Math.round((row.warning / max) * 1000);
    const shapes: string[] = [];
    if (errorWidth > 0) shapes.push(`<rect x="0" y="2" width="${errorWidth}" height="16" fill="currentColor"/>`);
    if (warningWidth > 0) shapes.push(`<rect x="${errorWidth + 4}" y="3" width="${Math.max(4, warningWidth - 6)}" height="14" fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke"/>`);
    if (shapes.length === 0) shapes.push('<line x1="0" y1="2" x2="0" y2="18" stroke="currentColor" stroke-width="1" vector-effect="non-scaling-stroke"/>');
    parts.push(`<div class="chart-row"><span class="chart-label">${escape(row.label)}</span><svg class="chart-bar" viewBox="0 0 1010 20" preserveAspectRatio="none" width="100%" height="20" aria-hidden="true" focusable="false">${shapes.join('')}</svg><span class="chart-value">${row.error} / ${row.warning}</span></div>`);
  }
  parts.push('</div>');
  return parts.join('\n');
}

/** How an original was styled in its audit: `2 stylesheets from where it was archived; 1 not at hand (https://…/print.css)`. */
function stylesheetsNote(found: StylesheetsFound): string {
  const parts: string[] = [];
  if (found.found) parts.push(`styled by ${plural(found.found, 'stylesheet')} of its own, from where it was archived`);
  if (found.missing.length) parts.push(`${plural(found.missing.length, 'stylesheet')} not at hand (${found.missing.slice(0, 3).join(', ')}${found.missing.length > 3 ? ', …' : ''})`);
  return parts.join('; ');
}

/** One row of the before/after comparison: the original page's and the copy's issues. */
export interface ComparisonRow {
  label: string;
  url?: string;
  before: Counts;
  after: Counts;
}

/**
 * Before and after, for the pages whose original was audited (`--compare-original`): pa11y's
 * issues (htmlcs + axe; clearcopy's own runner is left out, it does not run on originals) per WCAG
 * success criterion and per page. Undefined when no page was compared.
 */
export function comparison(run: RunResult): { criteria: ComparisonRow[]; pages: (ComparisonRow & { error?: string })[]; total: ComparisonRow } | undefined {
  const compared = run.pages.filter((page) => page.original);
  if (compared.length === 0) return undefined;
  const zero = (): Counts => ({ error: 0, warning: 0, notice: 0 });
  const add = (into: Counts, from: Counts | undefined) => { if (from) for (const key of ['error', 'warning', 'notice'] as const) into[key] += from[key]; };
  const byCriterion = new Map<string, ComparisonRow>();
  const row = (criterion: string) => {
    let entry = byCriterion.get(criterion);
    if (!entry) {
      entry = { label: criterion === 'other' ? 'Other (no success criterion)' : criterionName(criterion), before: zero(), after: zero() };
      const url = criterion === 'other' ? undefined : criterionUrl(criterion);
      if (url) entry.url = url;
      byCriterion.set(criterion, entry);
    }
    return entry;
  };
  const total: ComparisonRow = { label: 'All compared pages', before: zero(), after: zero() };
  const pages = compared.map((page) => {
    const original = page.original!;
    const after = zero();
    for (const [source, counts] of Object.entries(page.bySource)) if (source !== 'clearcopy') add(after, counts);
    // A page whose original could not be audited has nothing to compare: it stays out of the sums.
    if (!original.error) {
      const copy = criteriaCounts(page.findings.filter((finding) => finding.source !== 'clearcopy'));
      for (const [criterion, counts] of Object.entries(original.criteria)) add(row(criterion).before, counts);
      for (const [criterion, counts] of Object.entries(copy)) add(row(criterion).after, counts);
      add(total.before, original.counts);
      add(total.after, after);
    }
    return { label: page.title || page.name, before: original.counts, after, ...(original.error ? { error: original.error.message } : {}) };
  });
  const numeric = (a: string) => (a === 'other' ? '999' : a.split('.').map((n) => n.padStart(3, '0')).join('.'));
  const criteria = [...byCriterion].sort((a, b) => (numeric(a[0]) < numeric(b[0]) ? -1 : 1)).map(([, entry]) => entry);
  return { criteria, pages, total };
}

/**
 * The before/after chart: for each row two bars, the original page's errors (solid) over the
 * copy's (outlined) — told apart by shape and order, not colour — with the labels and numbers as
 * HTML text. One image to assistive technology, described by every number; the data table that
 * follows has the same numbers and the warnings.
 */
export function comparisonChart(id: string, title: string, rows: readonly ComparisonRow[]): string {
  const max = Math.max(1, ...rows.flatMap((row) => [row.before.error, row.after.error]));
  const desc = rows.map((row) => `${row.label}: ${plural(row.before.error, 'error')} in the original, ${row.after.error} in the copy`).join('; ');
  const bar = (n: number, solid: boolean, y: number) => {
    const width = Math.round((n / max) * 1000);
    if (width === 0) return `<line x1="0" y1="${y}" x2="0" y2="${y + 8}" stroke="currentColor" stroke-width="1" vector-effect="non-scaling-stroke"/>`;
    return solid
      ? `<rect x="0" y="${y}" width="${width}" height="8" fill="currentColor"/>`
      : `<rect x="1" y="${y}" width="${Math.max(4, width - 2)}" height="8" fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke"/>`;
  };
  const parts: string[] = [
    `<div class="chart" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">`,
    `<p class="chart-title" id="${id}-title">${escape(title)}</p>`,
    `<p id="${id}-desc" hidden>${escape(desc)}.</p>`,
  ];
  for (const row of rows) {
    parts.push(`<div class="chart-row"><span class="chart-label">${escape(row.label)}</span><svg class="chart-bar" viewBox="0 0 1010 20" preserveAspectRatio="none" width="100%" height="20" aria-hidden="true" focusable="false">${bar(row.before.error, true, 1)}${bar(row.after.error, false, 11)}</svg><span class="chart-value">${row.before.error} → ${row.after.error}</span></div>`);
  }
  parts.push('</div>');
  return parts.join('\n');
}

/**
 * One accessible HTML report for the whole run: the verdict and totals, a chart (inline SVG with a
 * text alternative, and a data table) of issues per WCAG principle and per success criterion, a
 * table of pages, then a section per page with each error and warning (and clearcopy's own
 * findings): its code, message, element selector, markup excerpt and a link to the WCAG
 * Understanding document. It passes clearcopy's own audit at WCAG2AAA.
 */
export function htmlReporter(run: RunResult, context: ReportContext = {}): string {
  const { template, css } = reportTemplate();
  const link = (file: string | undefined) => {
    if (!file) return undefined;
    return context.reportDir ? path.relative(context.reportDir, path.resolve(file)).split(path.sep).join('/') : file;
  };
  const verdict = verdictOf(run);
  const pages = run.pages.map((page: PageResult, index) => {
    const shown = bySeverity(page.findings.filter((f) => f.severity !== 'notice' || f.source === 'clearcopy' || isCounted(run, page, f)));
    return {
      id: `page-${index + 1}`,
      name: page.name,
      title: page.title || page.input,
      input: page.input,
      failed: page.status === 'failed',
      error: page.error?.message,
      htmlLink: link(page.outputs?.html),
      textLink: link(page.outputs?.text),
      audited: page.audited,
      counts: page.counts,
      ignored: page.ignored,
      verdict: page.status === 'failed' ? 'Failed to process' : page.counts.error > 0 ? plural(page.counts.error, 'error') : page.audited ? 'No errors' : 'Not audited',
      sources: Object.entries(page.bySource).map(([source, counts]) => ({ source, ...counts })),
      findings: shown.map((finding: ReportedFinding, n) => ({
        ...finding,
        id: `page-${index + 1}-issue-${n + 1}`,
        message: plainMessage(finding.message),
        known: finding.baseline === 'known',
        fresh: finding.baseline === 'new',
        criteria: criteriaOf(finding).map((c) => ({ name: criterionName(c), url: criterionUrl(c) })),
      })),
      hasFindings: shown.length > 0,
      original: page.original,
      originalStyles: page.original?.stylesheets ? stylesheetsNote(page.original.stylesheets) : undefined,
    };
  });
  const breakdown = wcagBreakdown(run);
  const compared = comparison(run);
  return template({
    css,
    csp: contentSecurityPolicy(css),
    run,
    pages,
    generatedAt: run.finishedAt,
    clean: run.totals.error === 0 && run.totals.failedPages === 0,
    verdict,
    gate: run.gate,
    principleChart: barChart('chart-principles', `Errors and warnings per WCAG principle (${run.standard})`, breakdown.principles),
    principles: breakdown.principles,
    // The chart shows the criteria with errors or warnings; the table lists notices too.
    criteriaChart: breakdown.criteria.some((row) => row.error + row.warning > 0)
      ? barChart('chart-criteria', `Errors and warnings per WCAG success criterion (${run.standard})`, breakdown.criteria.filter((row) => row.error + row.warning > 0))
      : undefined,
    criteria: breakdown.criteria,
    comparison: compared && {
      ...compared,
      chart: comparisonChart('chart-before-after', `Errors per WCAG success criterion: original page → clearcopy copy (${run.standard})`, [
        compared.total,
        ...compared.criteria.filter((row) => row.before.error + row.after.error > 0),
      ]),
      fewer: compared.total.before.error - compared.total.after.error,
    },
  });
}
