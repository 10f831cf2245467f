// `clearcopy audit` in faithful mode: the pages to audit (command line, config `urls`, a URL list,
// a sitemap) become SitePages for auditSite, and its results PageResults of one RunResult.
import path from 'node:path';
import type { PageLoadOptions } from '../audit/live.js';
import { auditSite, type SiteAuditOptions, type SitePage } from '../audit/site.js';
import type { PageLoading } from '../config/index.js';
import { ClearcopyError } from '../errors.js';
import { totalsOf, type PageResult, type RunResult } from '../model/run-result.js';
import { urlsFromList, urlsFromSitemap, type SitemapOptions } from '../load/sitemap.js';
import { uniqueNames } from '../output.js';
import { shardOf, type Shard } from '../shard.js';
import { VERSION } from '../version.js';
import { locate, pageResult } from './audit-pages.js';
import { expandAuditInputs, type AuditInput } from './inputs.js';

/** A page to audit with its own loading options (from a config's `urls`). */
export interface SiteInput extends AuditInput {
  loading?: PageLoading;
}

/** Where `clearcopy audit` takes its pages from, besides the command line. */
export interface SiteInputSources {
  /** Files, folders, globs and URLs from the command line. */
  inputs: readonly string[];
  /** Entries of the config's `urls` (locations already resolved). */
  configUrls?: readonly { location: string; loading?: PageLoading }[];
  /** A URL list file (`--urls`). */
  urlList?: string;
  /** A sitemap URL or file (`--sitemap`) and its options. */
  sitemap?: string;
  sitemapOptions?: SitemapOptions;
}

/**
 * Every page named by the command line, the config's `urls`, a URL list and a sitemap, in that
 * order, each once. A sitemap or list that cannot be read becomes a failed entry naming it.
 */
export async function collectSiteInputs(sources: SiteInputSources, cwd: string = process.cwd()): Promise<SiteInput[]> {
  const result: SiteInput[] = [];
  const seen = new Map<string, SiteInput>();
  const add = (entries: AuditInput[], loading?: PageLoading) => {
    for (const entry of entries) {
      const known = seen.get(entry.label);
      if (known) {
        if (loading) known.loading = { ...known.loading, ...loading };
        continue;
      }
      const input: SiteInput = loading ? { ...entry, loading } : { ...entry };
      seen.set(entry.label, input);
      result.push(input);
    }
  };
  const failed = (label: string, error: unknown) => add([{ label, rawName: path.basename(label).replace(/\.[^.]+$/, '') || 'sitemap', kind: 'file', error: error instanceof ClearcopyError ? error.message : `${label}: ${String(error)}` }]);
  add(await expandAuditInputs(sources.inputs, cwd));
  for (const entry of sources.configUrls ?? []) add(await expandAuditInputs([entry.location], cwd), entry.loading);
  if (sources.urlList) {
    try {
      add(await expandAuditInputs(await urlsFromList(sources.urlList), cwd));
    } catch (error) {
      failed(sources.urlList, error);
    }
  }
  if (sources.sitemap) {
    try {
      add(await expandAuditInputs(await urlsFromSitemap(sources.sitemap, sources.sitemapOptions), cwd));
    } catch (error) {
      if (error instanceof ClearcopyError && error.code === 'USAGE') throw error;
      failed(sources.sitemap, error);
    }
  }
  return result;
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
 * Audits the pages as a browser loads them ({@link auditSite}) and returns the run (before any gate).
 * `loadingFor` adds per-page options from the config's page rules, under the page's own.
 */
export async function auditSiteInputs(
  all: readonly SiteInput[],
  options: { site?: Omit<SiteAuditOptions, 'onResult'>; shard?: Shard; loadingFor?: (label: string) => PageLoading | undefined; onPage?: (page: PageResult, done: number, total: number) => void; cwd?: string } = {},
): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const cwd = options.cwd ?? process.cwd();
  const allNames = uniqueNames(all.map((input) => input.rawName));
  const chosen = all.map((input, index) => ({ input, name: allNames[index]! })).filter(({ input }) => !options.shard || shardOf(input.label, options.shard.total) === options.shard.index);
  const pages: SitePage[] = chosen.map(({ input }) => ({
    label: input.label,
    kind: input.kind,
    location: input.kind === 'file' ? path.resolve(cwd, input.label) : input.label,
    options: loadOptionsOf({ ...options.loadingFor?.(input.label), ...input.loading }),
    ...(input.error ? { error: input.error } : {}),
  }));
  const results: PageResult[] = new Array(pages.length);
  let done = 0;
  const run = await auditSite(pages, {
    ...options.site,
    onResult: (index, outcome) => {
      const { input } = chosen[index]!;
      const page = outcome.ok
        ? pageResult(chosen[index]!.name, input.label, { ok: true, findings: outcome.findings.map((finding) => (outcome.source ? locate(finding, outcome.source) : finding)), title: outcome.title, durationMs: outcome.durationMs })
        : pageResult(chosen[index]!.name, input.label, outcome);
      if (outcome.ok) {
        // A local file's address is the run's own server: not worth keeping.
        if (input.kind === 'url') page.url = outcome.url;
        if (outcome.blocked.length) page.blocked = outcome.blocked;
      }
      results[index] = page;
      options.onPage?.(page, ++done, pages.length);
    },
  });
  return {
    schemaVersion: 1,
    tool: { name: 'clearcopy', version: VERSION },
    standard: run.standard,
    runners: [...run.runners],
    startedAt,
    finishedAt: new Date().toISOString(),
    pages: results,
    totals: totalsOf(results),
    ...(options.shard ? { shard: options.shard } : {}),
  };
}
