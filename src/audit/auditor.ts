import os from 'node:os';
import type { Pa11yIssue, Pa11yResults } from 'pa11y';
import type { Page } from 'puppeteer';
import { DEFAULT_AUDIT_TIMEOUT_MS, DEFAULT_RUNNERS, DEFAULT_STANDARD } from '../defaults.js';
import { ClearcopyError, describeError } from '../errors.js';
import type { Finding, FindingSource } from '../model/finding.js';
import { requireBrowser } from './browser.js';
import { DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW, injectedCheck, ISSUE_LEVELS, pa11yRunOptions, PA11Y_USER_AGENT, PA11Y_VIEWPORT, runnerScripts, type IssueLevel } from './pa11y-scripts.js';
import { auditWithRetry, BrowserLostError, TabPool, type Tab } from './pool.js';

/** WCAG conformance levels pa11y can test against. */
export type Standard = 'WCAG2A' | 'WCAG2AA' | 'WCAG2AAA';
export const STANDARDS: readonly Standard[] = ['WCAG2A', 'WCAG2AA', 'WCAG2AAA'];
/** pa11y's built-in runners. */
export type RunnerName = 'htmlcs' | 'axe';
export const RUNNERS: readonly RunnerName[] = DEFAULT_RUNNERS;

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
  /**
   * Every page given to this auditor is static: no script runs in it and nothing in it animates, as
   * in clearcopy's own copies (no script, a CSP that allows none, no animations). With a headless
   * shell the tabs then draw no frames (nothing painted, rasterised or composited; layout and styles
   * are still computed when read): the same findings for about 15% less work per page. Ignored with
   * a full browser. Leave it off for other HTML: a page that waits for an animation frame, CSS
   * animations and IntersectionObserver callbacks all need frames (default: false).
   */
  staticPages?: boolean;
  /** Only audit inside this CSS selector (optional, like pa11y's `rootElement`). */
  rootElement?: string;
  /** Hide these elements from the audit (optional, like pa11y's `hideElements`). */
  hideElements?: string;
  /**
   * clearcopy's own checks, run on the loaded page after pa11y (e.g. the accessibility-tree
   * check); their findings join pa11y's (optional).
   */
  pageChecks?: PageCheck[];
  /**
   * Highest level given to axe results that need review (axe's "incomplete", e.g. colour contrast
   * over a background image it cannot judge): `error`, `warning` (default) or `notice`. pa11y's own
   * default is `error`; pass that to count exactly as pa11y does.
   */
  levelCapWhenNeedsReview?: IssueLevel;
  /**
   * Audits per tab before the tab and its renderer process are replaced by fresh ones (default:
   * 100, `DEFAULT_RECYCLE_AFTER` in `pool.ts`). Findings do not depend on it.
   */
  recycleTabAfter?: number;
  /**
   * Audits per tab between forced garbage collections in its renderer, which keep a reused tab's
   * memory at its working size on long runs (default: 20, `DEFAULT_COLLECT_EVERY`; 0: never).
   */
  collectGarbageEvery?: number;
}

/** A check of clearcopy's own on a page loaded in the audit browser. */
export type PageCheck = (page: Page, context: { label: string; html: string }) => Promise<Finding[]>;

/** What the auditor tells about its browser as it works (for progress displays and logs). */
export type AuditEvent =
  | { type: 'retry'; label: string; reason: string }
  | { type: 'browser-restart'; reason: string };

/** The result of auditing one page. */
export interface AuditOutcome {
  findings: Finding[];
  documentTitle: string;
  durationMs: number;
  /** How many tries the page took: 2 when the browser crashed or hung during the first (optional). */
  attempts?: number;
}

/** A shared headless browser auditing HTML with pa11y; close it when done. */
export interface Auditor {
  readonly standard: Standard;
  readonly runners: readonly RunnerName[];
  /** Pages audited at once. */
  readonly concurrency: number;
  /**
   * Audits one HTML document; `label` names it in errors; `scope` (optional) replaces the auditor's
   * `rootElement`/`hideElements` for this page. Rejects with `AUDIT_TIMEOUT` or `AUDIT_FAILED`.
   */
  audit(html: string, label: string, scope?: AuditScope): Promise<AuditOutcome>;
  close(): Promise<void>;
}

/** Where on a page the audit looks: pa11y's `rootElement` and `hideElements`. */
export type AuditScope = Pick<AuditorOptions, 'rootElement' | 'hideElements'>;

/** Options for {@link openAuditor} that only the library's own callers need. */
export interface AuditorHooks {
  /** Told about retries and browser restarts (optional). */
  onEvent?: (event: AuditEvent) => void;
}

/**
 * Opens one headless browser for a whole run, with a pool of `concurrency` reused tabs. Each audit
 * loads the HTML directly into a tab (`page.setContent`: no navigation, no `networkidle2` wait),
 * blocks every network request, and runs pa11y's own in-page runner with the options pa11y would
 * pass; pa11y's scripts are evaluated once per tab, not once per page (see `pa11y-scripts.ts`).
 * Each page has `timeoutMs` for load, audit and page checks together: a page over it fails with
 * `AUDIT_TIMEOUT` and the run goes on. A browser that crashes or stops answering is killed and
 * relaunched, and the page it was auditing is tried once more.
 */
export async function openAuditor(options: AuditorOptions & AuditorHooks = {}): Promise<Auditor> {
  const standard = options.standard ?? DEFAULT_STANDARD;
  const runners = options.runners ?? [...RUNNERS];
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism());
  const levelCapWhenNeedsReview = options.levelCapWhenNeedsReview ?? DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW;
  if (!ISSUE_LEVELS.includes(levelCapWhenNeedsReview)) {
    throw new ClearcopyError('USAGE', `clearcopy: levelCapWhenNeedsReview is one of ${ISSUE_LEVELS.join(', ')}, not ${String(levelCapWhenNeedsReview)}`);
  }
  const location = await requireBrowser(options.browserPath);
  const scripts = runnerScripts(runners);
  const injected = injectedCheck(runners);
  const runOptionsFor = (scope: AuditScope) => pa11yRunOptions({
    standard, runners,
    ignore: options.ignore ?? [],
    rootElement: scope.rootElement ?? null,
    hideElements: scope.hideElements ?? null,
    includeWarnings: true,
    includeNotices: true,
    levelCapWhenNeedsReview,
  });
  const runOptions = runOptionsFor(options);
  const pool = new TabPool({
    executablePath: location.path,
    concurrency,
    protocolTimeout: Math.max(60_000, timeoutMs * 2),
    frameless: options.staticPages === true,
    setup: prepareTab,
    ...(options.recycleTabAfter !== undefined ? { recycleAfter: Math.max(1, Math.floor(options.recycleTabAfter)) } : {}),
    ...(options.collectGarbageEvery !== undefined ? { collectEvery: Math.max(0, Math.floor(options.collectGarbageEvery)) } : {}),
    onRestart: (reason) => options.onEvent?.({ type: 'browser-restart', reason }),
  });
  await pool.start();
  // How long a browser may take to answer a simple call before it counts as hung.
  const probeMs = Math.min(5_000, Math.max(1_000, Math.round(timeoutMs / 2)));

  /** One try: a tab, the document, pa11y, the page checks, all within the page's time. */
  const attempt = async (html: string, label: string, scope: AuditScope | undefined): Promise<Omit<AuditOutcome, 'durationMs'>> => {
    let tab = await pool.acquire();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { timedOut = true; reject(new AuditTimeout()); }, timeoutMs);
    });
    timeout.catch(() => undefined);
    let current: Tab | undefined = tab;
    let stopWatching: (() => void) | undefined;
    try {
      const work = (async () => {
        const policies = policiesOf(html);
        if (tab && ![...tab.policies].every((policy) => policies.includes(policy))) {
          // Policies from earlier documents would still apply: start from a fresh tab.
          pool.retire(tab);
          tab = undefined;
          current = undefined;
        }
        if (!tab) {
          const opening = pool.open();
          opening.then((opened) => { if (timedOut) pool.retire(opened); }, () => undefined);
          tab = await Promise.race([opening, timeout]);
        }
        current = tab;
        const page = tab.page;
        const watch = tab.watch();
        stopWatching = watch.stop;
        const lost = watch.lost;
        const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, lost, timeout]);
        await step(page.setContent(html, { waitUntil: 'load', timeout: timeoutMs }));
        for (const policy of policies) tab.policies.add(policy);
        if (!tab.injected) {
          // After a setContent the globals stay; after anything that replaced the window, inject again.
          for (const script of scripts) await step(page.evaluate(script));
          tab.injected = true;
        } else if (!(await step(page.evaluate(injected)))) {
          for (const script of scripts) await step(page.evaluate(script));
        }
        const results = await step(page.evaluate(
          (runOptions: unknown) => (globalThis as unknown as { __pa11y: { run(o: unknown): Promise<Pa11yResults> } }).__pa11y.run(runOptions),
          scope ? runOptionsFor(scope) : runOptions,
        ));
        const findings = results.issues.map(toFinding);
        for (const check of options.pageChecks ?? []) findings.push(...(await step(check(page, { label, html }))));
        return { findings, documentTitle: results.documentTitle };
      })();
      work.catch(() => undefined); // a late rejection after a timeout must not go unhandled
      const result = await Promise.race([work, timeout]);
      if (current) {
        current.uses++;
        stopWatching?.();
        stopWatching = undefined;
        await pool.tidy(current, html.length);
      }
      pool.release(current);
      return result;
    } catch (error) {
      throw await pool.failedAttempt(current, error, {
        overTime: timedOut || error instanceof AuditTimeout,
        label,
        probeMs,
        timeoutMessage: `${label}: the audit took longer than ${timeoutMs} ms and was stopped (raise it with --timeout)`,
        describe: (cause) => `the audit failed (${describeError(cause)})`,
      });
    } finally {
      clearTimeout(timer);
      stopWatching?.();
    }
  };

  return {
    standard,
    runners,
    concurrency,
    async audit(html, label, scope) {
      return auditWithRetry(label, () => attempt(html, label, scope), (reason) => options.onEvent?.({ type: 'retry', label, reason }));
    },
    async close() {
      await pool.close();
    },
  };
}

/** A page over its time budget (internal; becomes `AUDIT_TIMEOUT` or a browser restart). */
class AuditTimeout extends Error {}

/** Content-Security-Policy values a document declares in `<meta http-equiv>`. */
function policiesOf(html: string): string[] {
  const policies: string[] = [];
  for (const match of html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi)) {
    const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(match[0]);
    policies.push(content?.[1] ?? content?.[2] ?? content?.[3] ?? '');
  }
  return policies;
}

async function prepareTab(page: Page): Promise<void> {
  // The audited HTML is set directly; any request it makes (images, fonts, anything) is blocked.
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    void request.abort('blockedbyclient').catch(() => undefined);
  });
  page.on('dialog', (dialog) => void dialog.dismiss().catch(() => undefined));
  // What pa11y sets on every page it is given (viewport and user agent), once per tab.
  await page.setViewport(PA11Y_VIEWPORT);
  await page.setUserAgent(PA11Y_USER_AGENT);
}

/** A pa11y issue as a clearcopy finding. */
export function toFinding(issue: Pa11yIssue): Finding {
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
