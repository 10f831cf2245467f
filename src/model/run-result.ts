import type { Finding, FindingSource, Severity } from './finding.js';

/** Issue counts by severity. */
export type Counts = Record<Severity, number>;

/** What the original archived page's audit found, summed (its findings are not kept: they can be thousands). */
export interface OriginalAudit {
  /** pa11y's issues (htmlcs + axe) in the original page. */
  counts: Counts;
  bySource: Partial<Record<FindingSource, Counts>>;
  /** Issues per WCAG success criterion (`1.1.1`…; `other` for rules tied to none). */
  criteria: Record<string, Counts>;
  /** Set when the original could not be audited (too slow, a browser failure); the copy's result stands. */
  error?: { code: string; message: string };
  /** The original's linked stylesheets: found where the page came from and audited with it, or not at hand. */
  stylesheets?: StylesheetsFound;
}

/** What became of an original page's linked stylesheets. */
export interface StylesheetsFound {
  /** Linked stylesheets (and the sheets they `@import`) found and written into the page. */
  found: number;
  /** Addresses of those not at hand (not in the archive, the MHTML file or the saved page's folder). */
  missing: string[];
}

/**
 * A finding as reported in a run: the {@link Finding} itself plus what the gate added to it
 * (all optional, so any `Finding` is one).
 */
export interface ReportedFinding extends Finding {
  /**
   * Stable identity of the issue on its page, independent of line numbers: a hash of the page, the
   * rule code and the element (its markup excerpt, or its selector without positional parts when
   * there is no excerpt). Used by baselines and SARIF `partialFingerprints`.
   */
  fingerprint?: string;
  /** Against a baseline: `known` (in the baseline, does not fail the gate) or `new`. Absent without a baseline. */
  baseline?: 'known' | 'new';
  /** 1-based line and column of the element's start tag in the audited HTML, when it could be found. */
  line?: number;
  column?: number;
}

/** The gate as applied to a run: what was asked, what was counted, and the verdict. */
export interface GateSummary {
  /** The lowest severity that fails the run (`never`: only pages that failed to load fail it). */
  failOn: Severity | 'never';
  /** Issues allowed before the run fails. */
  threshold: number;
  /** Rule codes ignored for every page. */
  ignore: string[];
  /** Issues that counted against the threshold (at or above `failOn`, not known in the baseline). */
  counted: number;
  /** Issues dropped by ignore rules, over all pages. */
  ignored: number;
  passed: boolean;
  /** One line per reason the run failed (empty when it passed). */
  reasons: string[];
  /** The baseline comparison, when a baseline was used. */
  baseline?: { file: string; issues: number; known: number; new: number; fixed: number };
}

/** What a collection index says about a copy (`render` fills it for each copy it makes). */
export interface CopySummary {
  byline?: string;
  /** Publication date (ISO 8601), when known. */
  published?: string;
  /** The address the page was published at (the archive's original URL, else the page's own). */
  url?: string;
  /** When an archive captured the page (ISO 8601). */
  capturedAt?: string;
  siteName?: string;
  /** Words in the body (for the reading time). */
  words: number;
  /** Figures whose image the copy shows from the output folder, and figures whose image was left out. */
  images: { found: number; leftOut: number };
}

/** What happened to one input. */
export interface PageResult {
  /** Output name: `<out>/<name>.html`, `<out>/<name>.txt`, `<reports>/<name>.json`. */
  name: string;
  /** The input as given: a path (relative to the working directory where possible) or an http(s) URL. */
  input: string;
  status: 'ok' | 'failed';
  /** Why the page failed, when it did: one line naming the input and the reason. */
  error?: { code: string; message: string };
  title?: string;
  lang?: string;
  /** Paths of the written copies. */
  outputs?: { html: string; text: string };
  /** What the copy is (byline, dates, address, length, images), for the collection index. */
  copy?: CopySummary;
  /** Whether the HTML copy was audited in the browser. */
  audited: boolean;
  /** The issues found, minus ignored ones (see `ignored`). */
  findings: ReportedFinding[];
  /** Issues dropped by ignore rules (optional; added by the gate). */
  ignored?: number;
  /** The page's own `failOn`, when a per-page override set one (optional; added by the gate). */
  failOn?: Severity | 'never';
  counts: Counts;
  bySource: Partial<Record<FindingSource, Counts>>;
  durationMs: number;
  /** `clearcopy audit`: the address the page was audited at (after redirects and actions; optional). */
  url?: string;
  /** `clearcopy audit`: requests the page made that were not let out (third-party hosts for local files, blocked hosts), each once (optional). */
  blocked?: string[];
  /** With `compareOriginal`: what pa11y found in the original archived page (the "before"). */
  original?: OriginalAudit;
}

/**
 * A whole run: every page, and totals. Reporters turn this into JSON, HTML, JUnit…
 *
 * `schemaVersion` is the major version of the JSON shape published as
 * `schema/run-result.schema.json`. It changes only when a field is removed, renamed or changes
 * meaning; new optional fields (like `gate`, `ignored`, `fingerprint`) keep the version, so readers
 * must ignore fields they do not know.
 */
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
  /** The gate's verdict, when one was applied (optional). */
  gate?: GateSummary;
  /** This run processed only part `index` of `total` of its inputs (`--shard`). */
  shard?: { index: number; total: number };
  /** The run was stopped early (Ctrl-C, SIGTERM): `pages` holds only the pages that finished. */
  interrupted?: { reason: string; notProcessed: number };
  /**
   * `render`'s output folder after the run: copies and refusals its index lists (earlier runs'
   * included), and links between copies rewritten, by copy file.
   */
  collection?: { index: string; copies: number; refused: number; linksRewritten: Record<string, number> };
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

/** A page's identity in baselines and fingerprints: its input with `/` separators and no leading `./`. */
export function pageKey(page: Pick<PageResult, 'input'>): string {
  if (/^https?:\/\//i.test(page.input)) return page.input;
  return page.input.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}
