// `clearcopy audit`: any HTML, not only our copies. Pages are loaded by Node (files read, URLs
// fetched), handed as content to a shared browser from openAuditor (the auditor `render` uses),
// and every outcome — findings, a load failure or a timeout — becomes a PageResult.
import os from 'node:os';
import { openAuditor, type Auditor, type AuditorOptions, type RunnerName } from '../audit/auditor.js';
import { ClearcopyError, describeError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import { countBySource, countFindings, totalsOf, type PageResult, type ReportedFinding, type RunResult } from '../model/run-result.js';
import { loadFile } from '../load/file.js';
import { uniqueNames } from '../output.js';
import { VERSION } from '../version.js';
import { fetchPage } from '../load/remote.js';
import type { AuditInput } from './inputs.js';
import { shardOf, type Shard } from '../shard.js';

/** A page ready to be audited. */
export interface AuditTarget {
  /** Names the page in errors and in the audit. */
  label: string;
  /** Reads the HTML; rejects with a ClearcopyError naming the page. */
  load(): Promise<string>;
  /** Audit options for this page only (per-page `rootElement` / `hideElements`). */
  overrides?: Pick<AuditorOptions, 'rootElement' | 'hideElements'>;
}

/** What happened to one target. */
export type AuditResult =
  | { ok: true; findings: ReportedFinding[]; title: string; durationMs: number }
  | { ok: false; error: { code: string; message: string }; durationMs: number };

/** Options for {@link auditTargets}. */
export interface AuditPagesOptions {
  auditor?: AuditorOptions;
  /** Called as each page finishes (optional). */
  onResult?: (index: number, result: AuditResult) => void;
}

/**
 * Audits targets with as few browsers as possible: one shared browser for all pages with the same
 * `rootElement`/`hideElements` (normally one for the run), started when the first page has loaded,
 * `concurrency` pages at a time. A page that fails to load, fails in the browser or times out gets
 * a failed result (never a pass); only a browser that cannot start rejects.
 */
export async function auditTargets(targets: readonly AuditTarget[], options: AuditPagesOptions = {}): Promise<{ results: AuditResult[]; runners: readonly RunnerName[]; standard: string }> {
  const results: AuditResult[] = new Array(targets.length);
  const groups = new Map<string, number[]>();
  targets.forEach((target, index) => {
    const rootElement = target.overrides?.rootElement ?? options.auditor?.rootElement ?? '';
    const hideElements = target.overrides?.hideElements ?? options.auditor?.hideElements ?? '';
    const key = JSON.stringify([rootElement, hideElements]);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  let runners: readonly RunnerName[] = options.auditor?.runners ?? ['htmlcs', 'axe'];
  let standard: string = options.auditor?.standard ?? 'WCAG2AA';
  for (const [key, indexes] of groups) {
    const [rootElement, hideElements] = JSON.parse(key) as [string, string];
    const auditorOptions: AuditorOptions = { ...options.auditor };
    if (rootElement) auditorOptions.rootElement = rootElement;
    else delete auditorOptions.rootElement;
    if (hideElements) auditorOptions.hideElements = hideElements;
    else delete auditorOptions.hideElements;
    // The browser starts with the first page that loads: a run whose inputs all fail needs none.
    let opening: Promise<Auditor> | undefined;
    const auditorFor = () => (opening ??= openAuditor(auditorOptions).then((auditor) => {
      runners = auditor.runners;
      standard = auditor.standard;
      return auditor;
    }));
    try {
      let next = 0;
      const worker = async () => {
        while (next < indexes.length) {
          const index = indexes[next++]!;
          const target = targets[index]!;
          const started = performance.now();
          let result: AuditResult;
          let html: string;
          try {
            html = await target.load();
          } catch (error) {
            results[index] = failure(target, error, started);
            options.onResult?.(index, results[index]!);
            continue;
          }
          // A browser that cannot start is fatal for the run, not a failure of this page.
          const auditor = await auditorFor();
          try {
            const source = html;
            const outcome = await auditor.audit(source, target.label);
            result = { ok: true, findings: outcome.findings.map((finding) => locate(finding, source)), title: outcome.documentTitle, durationMs: Math.round(performance.now() - started) };
          } catch (error) {
            result = failure(target, error, started);
          }
          results[index] = result;
          options.onResult?.(index, result);
        }
      };
      // As many pages in hand as the auditor has tabs (its default: the number of cores).
      const parallel = Math.max(1, Math.min(indexes.length, options.auditor?.concurrency ?? os.availableParallelism()));
      await Promise.all(Array.from({ length: parallel }, worker));
    } finally {
      if (opening) await opening.then((auditor) => auditor.close(), () => undefined);
    }
  }
  return { results, runners, standard };
}

function failure(target: AuditTarget, error: unknown, started: number): AuditResult {
  return {
    ok: false,
    error: {
      code: error instanceof ClearcopyError ? error.code : 'INTERNAL',
      message: error instanceof ClearcopyError ? error.message : `${target.label}: ${describeError(error)}`,
    },
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Audits files, folders, globs and URLs (see {@link expandAuditInputs}) as they are — any HTML,
 * not only clearcopy's copies — and returns the run (before any gate is applied).
 */
export async function auditInputs(
  all: readonly AuditInput[],
  options: AuditPagesOptions & { maxBytes?: number; shard?: Shard; overridesFor?: (label: string) => AuditTarget['overrides']; onPage?: (page: PageResult, done: number, total: number) => void } = {},
): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  // Names are made over all inputs before sharding, so a page has the same name in every shard.
  const allNames = uniqueNames(all.map((input) => input.rawName));
  const chosen = all.map((input, index) => ({ input, name: allNames[index]! })).filter(({ input }) => !options.shard || shardOf(input.label, options.shard.total) === options.shard.index);
  const inputs = chosen.map(({ input }) => input);
  const names = chosen.map(({ name }) => name);
  const timeoutMs = options.auditor?.timeoutMs ?? 30_000;
  const limits = options.maxBytes ? { maxBytes: options.maxBytes } : {};
  const targets: AuditTarget[] = inputs.map((input) => {
    const overrides = options.overridesFor?.(input.label);
    return {
      label: input.label,
      ...(overrides ? { overrides } : {}),
      load: async () => {
        if (input.error) throw new ClearcopyError('INPUT_NOT_FOUND', input.error);
        const page = input.source ? await input.source.load(limits) : input.kind === 'url' ? await fetchPage(input.label, { fetchTimeoutMs: timeoutMs, ...limits }) : await loadFile(input.label, limits);
        return page.html;
      },
    };
  });
  const pages: PageResult[] = new Array(inputs.length);
  let done = 0;
  const { runners, standard } = await auditTargets(targets, {
    ...options,
    onResult: (index, result) => {
      const page = pageResult(names[index]!, inputs[index]!.label, result);
      pages[index] = page;
      options.onPage?.(page, ++done, inputs.length);
    },
  });
  return {
    schemaVersion: 1,
    tool: { name: 'clearcopy', version: VERSION },
    standard,
    runners: [...runners],
    startedAt,
    finishedAt: new Date().toISOString(),
    pages,
    totals: totalsOf(pages),
    ...(options.shard ? { shard: options.shard } : {}),
  };
}

/** A PageResult from an audit result. */
export function pageResult(name: string, input: string, result: AuditResult): PageResult {
  const page: PageResult = { name, input, status: result.ok ? 'ok' : 'failed', audited: result.ok, findings: [], counts: { error: 0, warning: 0, notice: 0 }, bySource: {}, durationMs: result.durationMs };
  if (result.ok) {
    if (result.title) page.title = result.title;
    page.findings = result.findings;
  } else page.error = result.error;
  page.counts = countFindings(page.findings);
  page.bySource = countBySource(page.findings);
  return page;
}

/**
 * Adds the 1-based line and column of the element's start tag in the source HTML, when the start
 * tag in the finding's markup excerpt occurs exactly once in the source (whitespace-insensitive).
 */
export function locate(finding: Finding, html: string): ReportedFinding {
  const startTag = finding.context ? /^<[a-zA-Z][^>]*>/.exec(finding.context.trim())?.[0] : undefined;
  if (!startTag) return finding;
  const pattern = new RegExp(startTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'), 'g');
  const matches = [...html.matchAll(pattern)];
  if (matches.length !== 1) return finding;
  const offset = matches[0]!.index!;
  const before = html.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { ...finding, line, column };
}
