import os from 'node:os';
import pa11y, { type Pa11yIssue } from 'pa11y';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { ClearcopyError, describeError } from '../errors.js';
import type { Finding, FindingSource } from '../model/finding.js';
import { BROWSER_ARGS, requireBrowser } from './browser.js';

/** WCAG conformance levels pa11y can test against. */
export type Standard = 'WCAG2A' | 'WCAG2AA' | 'WCAG2AAA';
export const STANDARDS: readonly Standard[] = ['WCAG2A', 'WCAG2AA', 'WCAG2AAA'];
/** pa11y's built-in runners. */
export type RunnerName = 'htmlcs' | 'axe';
export const RUNNERS: readonly RunnerName[] = ['htmlcs', 'axe'];

/** Options for {@link openAuditor}. */
export interface AuditorOptions {
  /** WCAG level to test (default: `WCAG2AA`). */
  standard?: Standard;
  /** pa11y runners (default: `['htmlcs', 'axe']`). */
  runners?: RunnerName[];
  /** Time allowed for one page, load and audit together, in ms (default: 30,000). */
  timeoutMs?: number;
  /** Pages audited at once in the shared browser (default: the number of CPU cores). */
  concurrency?: number;
  /** Path of the Chromium/Chrome executable (default: found by {@link requireBrowser}). */
  browserPath?: string;
  /** pa11y rule codes to ignore (optional). */
  ignore?: string[];
  /** Only audit inside this CSS selector (optional, like pa11y's `rootElement`). */
  rootElement?: string;
  /** Hide these elements from the audit (optional, like pa11y's `hideElements`). */
  hideElements?: string;
  /**
   * clearcopy's own checks, run on the loaded page after pa11y (e.g. the accessibility-tree
   * check); their findings join pa11y's (optional).
   */
  pageChecks?: PageCheck[];
}

/** A check of clearcopy's own on a page loaded in the audit browser. */
export type PageCheck = (page: Page, context: { label: string; html: string }) => Promise<Finding[]>;

/** The result of auditing one page. */
export interface AuditOutcome {
  findings: Finding[];
  documentTitle: string;
  durationMs: number;
}

/** A shared headless browser auditing HTML with pa11y; close it when done. */
export interface Auditor {
  readonly standard: Standard;
  readonly runners: readonly RunnerName[];
  /** Audits one HTML document; `label` names it in errors. Rejects with `AUDIT_TIMEOUT` or `AUDIT_FAILED`. */
  audit(html: string, label: string): Promise<AuditOutcome>;
  close(): Promise<void>;
}

/**
 * Opens one headless browser for a whole run. Each audit loads the HTML directly into a reused
 * tab (no navigation, so no `networkidle2` wait), blocks every network request, runs pa11y with
 * its `browser`/`page`/`ignoreUrl` options, and enforces clearcopy's own per-page timeout.
 */
export async function openAuditor(options: AuditorOptions = {}): Promise<Auditor> {
  const standard = options.standard ?? 'WCAG2AA';
  const runners = options.runners ?? [...RUNNERS];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism());
  const location = await requireBrowser(options.browserPath);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({ executablePath: location.path, headless: true, args: BROWSER_ARGS, protocolTimeout: Math.max(60_000, timeoutMs * 2) });
  } catch (error) {
    throw new ClearcopyError('BROWSER_FAILED', `${location.path}: the browser did not start (${describeError(error)})`, { cause: error });
  }
  const idle: Page[] = [];
  const waiting: ((page: Page) => void)[] = [];
  let open = 0;

  const acquire = async (): Promise<Page> => {
    const page = idle.pop();
    if (page) return page;
    if (open < concurrency) {
      open++;
      try {
        return await preparePage(browser);
      } catch (error) {
        open--;
        throw error;
      }
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (page: Page) => {
    const next = waiting.shift();
    if (next) next(page);
    else idle.push(page);
  };
  /** A page that timed out may still be busy: close it and hand a fresh one to whoever waits. */
  const discard = async (page: Page) => {
    await page.close().catch(() => undefined);
    open--;
    const next = waiting.shift();
    if (next) {
      open++;
      preparePage(browser).then(next, () => { open--; });
    }
  };

  const noop = () => undefined;
  return {
    standard,
    runners,
    async audit(html, label) {
      const page = await acquire();
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ClearcopyError('AUDIT_TIMEOUT', `${label}: the audit took longer than ${timeoutMs} ms and was stopped (raise it with --timeout)`)), timeoutMs);
      });
      try {
        const run = (async () => {
          await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
          return pa11y(label, {
            browser, page, ignoreUrl: true, runners, standard,
            includeWarnings: true, includeNotices: true,
            ignore: options.ignore ?? [],
            rootElement: options.rootElement ?? null,
            hideElements: options.hideElements ?? null,
            timeout: timeoutMs,
            log: { debug: noop, error: noop, info: noop },
          });
        })();
        run.catch(noop); // a late rejection after a timeout must not go unhandled
        const checked = run.then(async (results) => {
          const findings = results.issues.map(toFinding);
          for (const check of options.pageChecks ?? []) findings.push(...(await check(page, { label, html })));
          return { findings, documentTitle: results.documentTitle };
        });
        checked.catch(noop);
        const results = await Promise.race([checked, timeout]);
        release(page);
        return { findings: results.findings, documentTitle: results.documentTitle, durationMs: performance.now() - started };
      } catch (error) {
        await discard(page);
        if (error instanceof ClearcopyError) throw error;
        throw new ClearcopyError('AUDIT_FAILED', `${label}: the audit failed (${describeError(error)})`, { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

async function preparePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  // The audited HTML is set directly; any request it makes (images, fonts, anything) is blocked.
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    void request.abort('blockedbyclient').catch(() => undefined);
  });
  page.on('dialog', (dialog) => void dialog.dismiss().catch(() => undefined));
  return page;
}

function toFinding(issue: Pa11yIssue): Finding {
  const finding: Finding = {
    code: issue.code,
    message: issue.message,
    severity: issue.type,
    source: (issue.runner === 'axe' ? 'axe' : 'htmlcs') as FindingSource,
  };
  if (issue.selector) finding.selector = issue.selector;
  if (issue.context) finding.context = issue.context;
  return finding;
}
