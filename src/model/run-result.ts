import type { Finding, FindingSource, Severity } from './finding.js';

/** Issue counts by severity. */
export type Counts = Record<Severity, number>;

/** What happened to one input. */
export interface PageResult {
  /** Output name: `<out>/<name>.html`, `<out>/<name>.txt`, `<reports>/<name>.json`. */
  name: string;
  /** The input as given (a path). */
  input: string;
  status: 'ok' | 'failed';
  /** Why the page failed, when it did: one line naming the input and the reason. */
  error?: { code: string; message: string };
  title?: string;
  lang?: string;
  /** Paths of the written copies. */
  outputs?: { html: string; text: string };
  /** Whether the HTML copy was audited in the browser. */
  audited: boolean;
  findings: Finding[];
  counts: Counts;
  bySource: Partial<Record<FindingSource, Counts>>;
  durationMs: number;
}

/** A whole run: every page, and totals. Reporters turn this into JSON, HTML, JUnit… */
export interface RunResult {
  /** Version of this result's JSON shape (see `schema/run-result.schema.json`). */
  schemaVersion: 1;
  tool: { name: 'clearcopy'; version: string };
  standard: string;
  runners: string[];
  startedAt: string;
  finishedAt: string;
  pages: PageResult[];
  totals: Counts & { pages: number; failedPages: number; auditedPages: number };
}

/** Counts findings by severity. */
export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, notice: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Counts findings by severity for each source (htmlcs, axe, clearcopy). */
export function countBySource(findings: readonly Finding[]): Partial<Record<FindingSource, Counts>> {
  const result: Partial<Record<FindingSource, Counts>> = {};
  for (const finding of findings) {
    const counts = (result[finding.source] ??= { error: 0, warning: 0, notice: 0 });
    counts[finding.severity]++;
  }
  return result;
}

/** Totals over all pages. */
export function totalsOf(pages: readonly PageResult[]): RunResult['totals'] {
  const totals = { error: 0, warning: 0, notice: 0, pages: pages.length, failedPages: 0, auditedPages: 0 };
  for (const page of pages) {
    totals.error += page.counts.error;
    totals.warning += page.counts.warning;
    totals.notice += page.counts.notice;
    if (page.status === 'failed') totals.failedPages++;
    if (page.audited) totals.auditedPages++;
  }
  return totals;
}
