// `clearcopy audit`'s per-page work: any HTML, not only clearcopy's copies. Each page is loaded
// by Node (files read, URLs fetched, archive records unpacked), handed as content to the shared
// browser from openAuditor (the auditor `render` uses), and every finding is given the line and
// column of its element in the page's source.
import os from 'node:os';
import { openAuditor, type AuditEvent, type Auditor, type AuditorOptions, type AuditScope } from '../audit/auditor.js';
import { DEFAULT_AUDIT_TIMEOUT_MS, DEFAULT_RUNNERS, DEFAULT_STANDARD } from '../defaults.js';
import type { FetchOptions } from '../load/remote.js';
import { sourcesFromInputs } from '../load/sources.js';
import type { PageSource } from '../load/source.js';
import type { Finding } from '../model/finding.js';
import type { ReportedFinding, RunResult } from '../model/run-result.js';
import { rulesFor } from '../config/glob.js';
import { emptyPage, fail, lazily, runPages, settle, type PageDone, type PageWork, type ProgressEvent, type RunControl, type Sources } from './engine.js';

/** Audit scope for the pages whose input matches `match` (globs, as the gate's page rules). Later rules win. */
export interface PageAuditRule {
  match: string[];
  rootElement?: string;
  hideElements?: string;
}

/** The audit stage's options, for `render` and `audit` alike. */
export interface AuditSettings extends AuditorOptions {
  /** Per-page `rootElement` / `hideElements` (optional; from the config's `pages`). */
  pages?: readonly PageAuditRule[];
}

/** Options for {@link auditSources} and {@link auditFiles}. */
export interface AuditRunOptions extends RunControl {
  /** How pages are read (optional): `maxBytes`; a URL has the audit's `timeoutMs` to be fetched unless `fetchTimeoutMs` says otherwise. */
  load?: FetchOptions;
  /** The browser and pa11y (optional). */
  audit?: AuditSettings;
}

/** What {@link auditPage} needs, opened once per run (or once per queue worker) by {@link openAuditWork}. */
export interface AuditContext {
  load: FetchOptions;
  settings: AuditSettings;
  /** The shared auditor, started when the first page has loaded (a run whose inputs all fail needs none). */
  auditor(): Promise<Auditor>;
}

/**
 * Audits one page as it is: load → audit → locate. A page that cannot be loaded, fails in the
 * browser or times out becomes a failed result (never a pass); only a browser that cannot start
 * rejects (fatal for the run).
 */
export async function auditPage(source: PageSource, name: string, context: AuditContext): Promise<PageDone> {
  const started = performance.now();
  const page = emptyPage(name, source.label);
  let html: string;
  try {
    html = (await source.load(context.load)).html;
  } catch (error) {
    fail(page, error);
    return { page: settle(page, started) };
  }
  const auditor = await context.auditor();
  try {
    const outcome = await auditor.audit(html, source.label, scopeFor(source.label, context.settings));
    if (outcome.documentTitle) page.title = outcome.documentTitle;
    page.findings = outcome.findings.map((finding) => locate(finding, html));
    page.audited = true;
  } catch (error) {
    fail(page, error);
  }
  return { page: settle(page, started) };
}

/** The per-page work of `clearcopy audit`, with its auditor opened lazily; close it when done. */
export function openAuditWork(options: AuditRunOptions = {}): PageWork & AuditContext {
  const settings = options.audit ?? {};
  const emit = options.onProgress ?? (() => undefined);
  // A page has the audit's time to be fetched as well.
  const timeoutMs = settings.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;
  const auditor = lazily(() => openAuditor({ ...settings, onEvent: auditEvents(emit) }));
  const concurrency = Math.max(1, settings.concurrency ?? os.availableParallelism());
  const context: AuditContext = {
    load: { fetchTimeoutMs: timeoutMs, ...options.load },
    settings,
    auditor: auditor.get,
  };
  return {
    ...context,
    standard: settings.standard ?? DEFAULT_STANDARD,
    runners: settings.runners ?? DEFAULT_RUNNERS,
    // As many pages in hand as the auditor has tabs.
    lanes: (total) => Math.min(total ?? concurrency, concurrency),
    run: (source, name) => auditPage(source, name, context),
    close: auditor.close,
  };
}

/**
 * Audits page sources as they are — any HTML, not only clearcopy's copies — in one shared browser,
 * and returns the run (before any gate is applied).
 */
export async function auditSources(sources: Sources, options: AuditRunOptions = {}): Promise<RunResult> {
  const work = openAuditWork(options);
  try {
    return await runPages(sources, work, options);
  } finally {
    await work.close();
  }
}

/** Audits files, folders, globs, URLs, archives and `-` (see `sourcesFromInputs`) as they are. */
export async function auditFiles(inputs: readonly string[], options: AuditRunOptions = {}): Promise<RunResult> {
  return auditSources((await sourcesFromInputs(inputs, options.load)).sources, options);
}

/** The audit scope of one page: the run's, with the matching page rules' over it (later rules win). */
export function scopeFor(input: string, settings: AuditSettings): AuditScope | undefined {
  if (!settings.pages?.length) return undefined;
  const scope: AuditScope = {};
  if (settings.rootElement) scope.rootElement = settings.rootElement;
  if (settings.hideElements) scope.hideElements = settings.hideElements;
  for (const rule of rulesFor({ input }, settings.pages)) {
    if (rule.rootElement) scope.rootElement = rule.rootElement;
    if (rule.hideElements) scope.hideElements = rule.hideElements;
  }
  return scope;
}

/** The auditor's retries and browser restarts as progress events. */
export function auditEvents(emit: (event: ProgressEvent) => void): (event: AuditEvent) => void {
  return (event) => emit(event.type === 'retry' ? { type: 'retry', input: event.label, reason: event.reason } : event);
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
