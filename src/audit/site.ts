// A run of the faithful auditor over a site's pages: local files served from their common folder
// (or a given root) on 127.0.0.1 with nothing let out of the machine, URLs opened as they are.
import { ClearcopyError, describeError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import type { AuditorHooks, RunnerName } from './auditor.js';
import { defaultLiveConcurrency, openLiveAuditor, type LiveAuditor, type LiveAuditorOptions, type PageLoadOptions } from './live.js';
import { commonFolder, serveSite, type SiteServer } from './site-server.js';

/** One page of a site audit: a local file or an http(s) URL, with its own options. */
export interface SitePage {
  /** Names the page in results and errors. */
  label: string;
  kind: 'file' | 'url';
  /** The file's path or the URL. */
  location: string;
  /** Options for this page only (actions, wait, rootElement…), over the run's. */
  options?: PageLoadOptions;
  /** Set when the input names no page (it fails without a browser). */
  error?: string;
}

/** What happened to one page. */
export type SitePageResult =
  | { ok: true; findings: Finding[]; title: string; durationMs: number; url: string; blocked: string[]; source?: string; settled: boolean }
  | { ok: false; error: { code: string; message: string }; durationMs: number };

/** Options for {@link auditSite}. */
export interface SiteAuditOptions extends LiveAuditorOptions, AuditorHooks {
  /** Folder served as the site's root for local files (default: the deepest folder holding them all). */
  root?: string;
  /** Called as each page finishes (optional). */
  onResult?: (index: number, result: SitePageResult) => void;
}

/** The results of {@link auditSite}, in input order. */
export interface SiteAudit {
  results: SitePageResult[];
  runners: readonly RunnerName[];
  standard: string;
  /** The folder served for local files, when there were any. */
  root?: string;
}

/**
 * Audits pages as a browser loads them ({@link openLiveAuditor}), `concurrency` at a time. Local
 * files are served under `http://127.0.0.1:<port>/` from `root`, and only that origin is let out
 * of their pages (every other request blocked and listed); URL pages may reach any host but
 * `blockHosts`. The browser starts with the first page that needs it; a page that cannot be
 * loaded, audited or found in time gets a failed result, and only a browser that cannot start
 * rejects.
 */
export async function auditSite(pages: readonly SitePage[], options: SiteAuditOptions = {}): Promise<SiteAudit> {
  const results: SitePageResult[] = new Array(pages.length);
  const files = pages.filter((page) => page.kind === 'file' && !page.error).map((page) => page.location);
  let server: SiteServer | undefined;
  let opening: Promise<LiveAuditor> | undefined;
  let runners: readonly RunnerName[] = options.runners ?? ['htmlcs', 'axe'];
  let standard: string = options.standard ?? 'WCAG2AA';
  const root = files.length ? (options.root ?? commonFolder(files)) : undefined;
  try {
    if (root) server = await serveSite(root);
    const auditorFor = () => (opening ??= openLiveAuditor(options).then((auditor) => {
      runners = auditor.runners;
      standard = auditor.standard;
      return auditor;
    }));
    let next = 0;
    const worker = async () => {
      while (next < pages.length) {
        const index = next++;
        const page = pages[index]!;
        const started = performance.now();
        let result: SitePageResult;
        try {
          if (page.error) throw new ClearcopyError('INPUT_NOT_FOUND', page.error);
          const url = page.kind === 'file' ? server!.urlFor(page.location) : page.location;
          const pageOptions: PageLoadOptions = { ...page.options };
          if (page.kind === 'file') pageOptions.allowOrigins = [server!.origin];
          const auditor = await auditorFor();
          const outcome = await auditor.audit(url, page.label, pageOptions);
          result = {
            ok: true, findings: outcome.findings, title: outcome.documentTitle, durationMs: Math.round(performance.now() - started),
            url: outcome.url, blocked: outcome.blocked, settled: outcome.settled,
            ...(outcome.source !== undefined ? { source: outcome.source } : {}),
          };
        } catch (error) {
          if (error instanceof ClearcopyError && (error.code === 'BROWSER_NOT_FOUND' || error.code === 'BROWSER_FAILED' || error.code === 'USAGE')) throw error;
          result = {
            ok: false,
            error: {
              code: error instanceof ClearcopyError ? error.code : 'INTERNAL',
              message: error instanceof ClearcopyError ? error.message : `${page.label}: ${describeError(error)}`,
            },
            durationMs: Math.round(performance.now() - started),
          };
        }
        results[index] = result;
        options.onResult?.(index, result);
      }
    };
    const parallel = Math.max(1, Math.min(pages.length, options.concurrency ?? defaultLiveConcurrency()));
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    if (opening) await opening.then((auditor) => auditor.close(), () => undefined);
    await server?.close();
  }
  return { results, runners, standard, ...(root ? { root } : {}) };
}
