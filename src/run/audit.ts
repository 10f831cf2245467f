// `clearcopy audit`'s per-page work: any HTML, audited as a browser loads it (issue: the page its
// users get). A file is opened under the run's static server on 127.0.0.1 (nothing else leaves the
// machine), a URL as it is, and a page with no address of its own (standard input, an archive
// record) is served by the same server from memory, with its scripts off. Each page runs in a fresh
// browser context with scripts on, is waited for until ready, audited by pa11y's runners, and every
// finding is given the line and column of its element in the page's HTML. `render` audits its own
// copies on the fast path instead (src/run/render.ts: content set in static, frameless tabs).
import path from 'node:path';
import type { AuditEvent, AuditorOptions, AuditScope } from '../audit/auditor.js';
import { defaultLiveConcurrency, openLiveAuditor, type LiveAuditor, type LiveAuditorOptions, type PageLoadOptions } from '../audit/live.js';
import { commonFolder, serveSite, type SiteServer } from '../audit/site-server.js';
import type { PageLoading } from '../config/index.js';
import { DEFAULT_RUNNERS, DEFAULT_STANDARD } from '../defaults.js';
import { ClearcopyError } from '../errors.js';
import type { FetchOptions } from '../load/remote.js';
import { urlsFromList, urlsFromSitemap, type SitemapOptions } from '../load/sitemap.js';
import { failing, sourcesFromInputs, type ExpandOptions, type SourceListing } from '../load/sources.js';
import type { PageSource } from '../load/source.js';
import type { Finding } from '../model/finding.js';
import type { ReportedFinding, RunResult } from '../model/run-result.js';
import { rulesFor } from '../config/glob.js';
import { emptyPage, fail, lazily, runPages, settle, type PageDone, type PageWork, type ProgressEvent, type RunControl, type Sources } from './engine.js';

/**
 * Options for the pages whose input matches `match` (globs, as the gate's page rules); later rules
 * win. `render` uses the scope (rootElement, hideElements); `audit` also the loading.
 */
export interface PageAuditRule {
  match: string[];
  rootElement?: string;
  hideElements?: string;
  actions?: string[];
  /** pa11y's `wait`, in ms. */
  wait?: number;
  waitFor?: string;
}

/** The audit stage of `render` (its own copies, on the fast path). */
export interface AuditSettings extends AuditorOptions {
  /** Per-page `rootElement` / `hideElements` (optional; from the config's `pages`). */
  pages?: readonly PageAuditRule[];
}

/** The audit stage of `clearcopy audit`: the faithful auditor's options. */
export interface LiveAuditSettings extends LiveAuditorOptions {
  /** Per-page scope and loading (optional; from the config's `pages`). */
  pages?: readonly PageAuditRule[];
  /**
   * Folder served as the site's root for local files (default: {@link auditSources} takes the
   * deepest folder holding every file of its list; {@link openAuditWork} the working directory).
   */
  root?: string;
}

/** A page source with loading options of its own (a config's `urls` entry). */
export interface AuditSource extends PageSource {
  loading?: PageLoadOptions;
}

/** Options for {@link auditSources} and {@link auditFiles}. */
export interface AuditRunOptions extends RunControl {
  /** How pages without an address are read (optional): `maxBytes`, `fetchTimeoutMs`. */
  load?: FetchOptions;
  /** The browser, loading and pa11y (optional). */
  audit?: LiveAuditSettings;
}

/** What {@link auditPage} needs, opened once per run (or once per queue worker) by {@link openAuditWork}. */
export interface AuditContext {
  load: FetchOptions;
  settings: LiveAuditSettings;
  /** The shared auditor, started when the first page needs it (a run whose inputs all fail needs none). */
  auditor(): Promise<LiveAuditor>;
  /** The run's static server on 127.0.0.1, started when the first local page needs it. */
  server(): Promise<SiteServer>;
}

/** Errors that stop the whole run rather than one page. */
const FATAL = new Set(['BROWSER_NOT_FOUND', 'BROWSER_FAILED']);

/**
 * Audits one page as a browser loads it: open → ready → audit → locate. A page that cannot be
 * loaded, fails in the browser or times out becomes a failed result (never a pass); only a browser
 * that cannot start rejects (fatal for the run).
 */
export async function auditPage(source: PageSource, name: string, context: AuditContext): Promise<PageDone> {
  const started = performance.now();
  const page = emptyPage(name, source.label);
  const loading = loadingFor(source, context.settings);
  let url: string;
  let html: string | undefined;
  let held: { forget(): void } | undefined;
  try {
    const address = source.address;
    if (address?.kind === 'url') {
      url = address.url;
    } else {
      // Read first: an input that names no page fails without a server or a browser.
      if (!address) html = (await source.load(context.load)).html;
      const server = await context.server();
      if (address) {
        url = server.urlFor(address.path);
      } else {
        const memory = server.hold(html!);
        held = memory;
        url = memory.url;
        // Its scripts expect the page's own origin (an archived site's), not the run's server.
        loading.scripts = false;
      }
      // Nothing of a local page leaves the machine: only the run's server answers it.
      loading.allowOrigins = [server.origin];
    }
  } catch (error) {
    fail(page, error);
    return { page: settle(page, started) };
  }
  const auditor = await context.auditor();
  try {
    const outcome = await auditor.audit(url, source.label, loading);
    if (outcome.documentTitle) page.title = outcome.documentTitle;
    const served = outcome.source ?? html;
    page.findings = served === undefined ? outcome.findings : outcome.findings.map((finding) => locate(finding, served));
    page.audited = true;
    // A local page's address is the run's own server: not worth keeping.
    if (source.address?.kind === 'url') page.url = outcome.url;
    if (outcome.blocked.length) page.blocked = outcome.blocked;
  } catch (error) {
    if (error instanceof ClearcopyError && FATAL.has(error.code)) throw error;
    fail(page, error);
  } finally {
    held?.forget();
  }
  return { page: settle(page, started) };
}

/** The per-page work of `clearcopy audit`, with its auditor and server opened lazily; close it when done. */
export function openAuditWork(options: AuditRunOptions = {}): PageWork & AuditContext {
  const settings = options.audit ?? {};
  const emit = options.onProgress ?? (() => undefined);
  const { pages: _pages, root, ...auditorOptions } = settings;
  const auditor = lazily(() => openLiveAuditor({ ...auditorOptions, onEvent: auditEvents(emit) }));
  const server = lazily(() => serveSite(root ?? process.cwd()));
  const concurrency = Math.max(1, settings.concurrency ?? defaultLiveConcurrency());
  const context: AuditContext = {
    load: { ...(settings.timeoutMs ? { fetchTimeoutMs: settings.timeoutMs } : {}), ...options.load },
    settings,
    auditor: auditor.get,
    server: server.get,
  };
  return {
    ...context,
    standard: settings.standard ?? DEFAULT_STANDARD,
    runners: settings.runners ?? DEFAULT_RUNNERS,
    // As many pages in flight as the auditor has tabs.
    lanes: (total) => Math.min(total ?? concurrency, concurrency),
    run: (source, name) => auditPage(source, name, context),
    close: async () => {
      await auditor.close();
      await server.close();
    },
  };
}

/**
 * Audits page sources as a browser loads them, in one shared browser, and returns the run (before
 * any gate is applied). With a list, local files are served from the deepest folder holding them
 * all unless `audit.root` says otherwise.
 */
export async function auditSources(sources: Sources, options: AuditRunOptions = {}): Promise<RunResult> {
  let audit = options.audit ?? {};
  if (!audit.root && Array.isArray(sources)) {
    const files = (sources as readonly PageSource[]).flatMap((source) => (source.address?.kind === 'file' ? [source.address.path] : []));
    if (files.length) audit = { ...audit, root: commonFolder(files) };
  }
  const work = openAuditWork({ ...options, audit });
  try {
    return await runPages(sources, work, options);
  } finally {
    await work.close();
  }
}

/** Audits files, folders, globs, URLs, archives and `-` (see `sourcesFromInputs`) as a browser loads them. */
export async function auditFiles(inputs: readonly string[], options: AuditRunOptions = {}): Promise<RunResult> {
  return auditSources((await sourcesFromInputs(inputs, options.load)).sources, options);
}

/** Where `clearcopy audit` takes its pages from: the command line, and more sources besides. */
export interface AuditInputs {
  /** Files, folders, globs, archives, URLs and `-`, as the one expander takes them. */
  inputs: readonly string[];
  /** Entries of a config's `urls` (locations resolved: URLs or absolute paths), each with its own loading. */
  configUrls?: readonly { location: string; loading?: PageLoading }[];
  /** A URL list file (`--urls`): one URL or path a line. */
  urlList?: string;
  /** A sitemap URL or file (`--sitemap`) and its options. */
  sitemap?: string;
  sitemapOptions?: SitemapOptions;
}

/**
 * The sources of every page named by the command line, the config's `urls`, a URL list and a
 * sitemap, in that order, each once (a config entry's loading kept on its source). A list or
 * sitemap that cannot be read becomes a failed source naming it; paths are shown relative to `cwd`.
 */
export async function auditSourcesFrom(spec: AuditInputs, options: ExpandOptions = {}, cwd: string = process.cwd()): Promise<SourceListing> {
  const listing = await sourcesFromInputs(spec.inputs, options);
  const byLabel = new Map<string, AuditSource>(listing.sources.map((source) => [source.label, source]));
  const shown = (location: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) || location === '-' ? location : path.relative(cwd, path.resolve(cwd, location)) || '.');
  const add = async (locations: readonly string[], loading?: PageLoadOptions) => {
    const more = await sourcesFromInputs(locations.map(shown), options);
    for (const [reason, count] of Object.entries(more.skipped)) listing.skipped[reason] = (listing.skipped[reason] ?? 0) + count;
    for (const source of more.sources as AuditSource[]) {
      const known = byLabel.get(source.label);
      if (known) {
        if (loading) known.loading = { ...known.loading, ...loading };
        continue;
      }
      if (loading) source.loading = loading;
      byLabel.set(source.label, source);
      listing.sources.push(source);
    }
  };
  for (const entry of spec.configUrls ?? []) await add([entry.location], entry.loading ? loadOptionsOf(entry.loading) : undefined);
  const failed = (label: string, error: unknown) => {
    const message = error instanceof ClearcopyError ? error.message : `${label}: ${String(error)}`;
    if (byLabel.has(label)) return;
    const source = failing(label, message);
    byLabel.set(label, source);
    listing.sources.push(source);
  };
  if (spec.urlList) {
    try {
      await add(await urlsFromList(spec.urlList));
    } catch (error) {
      failed(spec.urlList, error);
    }
  }
  if (spec.sitemap) {
    try {
      await add(await urlsFromSitemap(spec.sitemap, spec.sitemapOptions));
    } catch (error) {
      if (error instanceof ClearcopyError && error.code === 'USAGE') throw error;
      failed(spec.sitemap, error);
    }
  }
  return listing;
}

/** A page's loading options from config keys. */
export function loadOptionsOf(loading: PageLoading | undefined): PageLoadOptions {
  const options: PageLoadOptions = {};
  if (!loading) return options;
  if (loading.actions) options.actions = loading.actions;
  if (loading.wait !== undefined) options.waitMs = loading.wait;
  if (loading.waitFor) options.waitFor = loading.waitFor;
  if (loading.rootElement) options.rootElement = loading.rootElement;
  if (loading.hideElements) options.hideElements = loading.hideElements;
  if (loading.ignore) options.ignore = loading.ignore;
  if (loading.headers) options.headers = loading.headers;
  if (loading.viewport) options.viewport = loading.viewport;
  return options;
}

/**
 * One page's loading in `clearcopy audit`: the matching page rules' scope and loading (later rules
 * win), under the page's own (a config `urls` entry). The run's options are the auditor's.
 */
export function loadingFor(source: PageSource, settings: LiveAuditSettings): PageLoadOptions {
  const loading: PageLoadOptions = {};
  for (const rule of settings.pages?.length ? rulesFor({ input: source.label }, settings.pages) : []) {
    if (rule.rootElement) loading.rootElement = rule.rootElement;
    if (rule.hideElements) loading.hideElements = rule.hideElements;
    if (rule.actions) loading.actions = rule.actions;
    if (rule.wait !== undefined) loading.waitMs = rule.wait;
    if (rule.waitFor) loading.waitFor = rule.waitFor;
  }
  return { ...loading, ...(source as AuditSource).loading };
}

/** The audit scope of one page: the run's, with the matching page rules' over it (later rules win). */
export function scopeFor(input: string, settings: Pick<AuditSettings, 'pages' | 'rootElement' | 'hideElements'>): AuditScope | undefined {
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
