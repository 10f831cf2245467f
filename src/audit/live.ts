// The auditor's faithful mode, for `clearcopy audit`: each page is opened by the browser itself
// from its URL (local files through the run's static server), in a fresh browser context, with its
// stylesheets, scripts, fonts and images loaded, and audited once it is ready. clearcopy's own
// copies keep the fast path in `auditor.ts` (content set directly into reused frameless tabs).
import { createRequire } from 'node:module';
import os from 'node:os';
import type { Pa11yResults } from 'pa11y';
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import { ClearcopyError, describeError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import { RUNNERS, toFinding, type AuditOutcome, type AuditorHooks, type AuditorOptions, type RunnerName, type Standard } from './auditor.js';
import { requireBrowser } from './browser.js';
import { DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW, ISSUE_LEVELS, injectedCheck, pa11yRunOptions, PA11Y_USER_AGENT, PA11Y_VIEWPORT, runnerScripts } from './pa11y-scripts.js';
import { auditWithRetry, BrowserLostError, TabPool, type Tab } from './pool.js';

const require = createRequire(import.meta.url);

/** pa11y's own action runner (`lib/action.js`): the same grammar and the same implementations. */
interface Pa11yActions {
  (browser: Browser, page: Page, options: { log: Record<'debug' | 'info' | 'error', (message: string) => void> }, action: string): Promise<void>;
  isValidAction(action: string): boolean;
}
const pa11yAction = require('pa11y/lib/action.js') as Pa11yActions;
const SILENT = { debug: () => undefined, info: () => undefined, error: () => undefined };

/** Whether `action` is one pa11y understands (`click element #x`, `set field #y to z`, `wait for …`…). */
export function isValidAction(action: string): boolean {
  return pa11yAction.isValidAction(action);
}

/** How a page is loaded and when it counts as ready, per page (all optional). */
export interface PageLoadOptions {
  /** pa11y's `actions`, run in order after the page is ready; then it is waited for again. */
  actions?: readonly string[];
  /** Wait until an element matches this selector before the audit (`--wait-for`). */
  waitFor?: string;
  /** pa11y's `wait`: milliseconds pa11y's runner waits before it runs (default: 0). */
  waitMs?: number;
  /** Only audit inside this CSS selector. */
  rootElement?: string;
  /** Hide these elements from the audit. */
  hideElements?: string;
  /** Rule codes (or `notice`/`warning`) pa11y's runner drops. */
  ignore?: readonly string[];
  /** Extra HTTP headers on every request of the page (e.g. a cookie for a staging site). */
  headers?: Record<string, string>;
  /**
   * Which requests may leave: `all` (URL inputs), or a list of origins (`http://127.0.0.1:1234`)
   * for local files, so nothing leaves the machine. Blocked requests are listed per page
   * (default: `all`).
   */
  allowOrigins?: 'all' | readonly string[];
  /** Run this page's scripts (default: the auditor's `scripts`). */
  scripts?: boolean;
  /** Viewport (default: pa11y's 1280×1024). */
  viewport?: { width: number; height: number; deviceScaleFactor?: number; isMobile?: boolean };
}

/** Options for {@link openLiveAuditor}: the auditor's, plus loading. */
export interface LiveAuditorOptions extends Omit<AuditorOptions, 'staticPages' | 'pageChecks' | 'recycleTabAfter' | 'collectGarbageEvery' | 'ignore'>, PageLoadOptions {
  /** Run the pages' scripts (default: true; `--no-scripts` turns them off). */
  scripts?: boolean;
  /** Hosts never contacted, whatever `allowOrigins` says (`--block-hosts`; a leading `*.` matches subdomains). */
  blockHosts?: readonly string[];
  /**
   * Quiet time that makes a page ready: after the load event, no request in flight, no short
   * timer pending and no DOM change for this long (default: {@link DEFAULT_SETTLE_MS}).
   */
  settleMs?: number;
  /** Accept invalid TLS certificates, as pa11y does by default (default: true). */
  acceptInsecureCerts?: boolean;
}

/** The outcome of auditing one page in faithful mode. */
export interface LiveOutcome extends AuditOutcome {
  /** The address the page ended at (after redirects and actions). */
  url: string;
  /** The page's HTML as served (for line numbers), when it could be read. */
  source?: string;
  /** Requests that were not let out (third-party hosts for local files, `blockHosts`), each once. */
  blocked: string[];
  /** Whether the page settled before its time ran short (else it was audited as it was). */
  settled: boolean;
}

/** A browser auditing pages by URL; close it when done. */
export interface LiveAuditor {
  readonly standard: Standard;
  readonly runners: readonly RunnerName[];
  readonly concurrency: number;
  /** Opens `url` in a fresh browser context, waits until it is ready, runs pa11y. */
  audit(url: string, label: string, page?: PageLoadOptions): Promise<LiveOutcome>;
  close(): Promise<void>;
}

/**
 * Pages in flight by default: the cores plus two. A page loaded as a browser loads it spends part
 * of its time waiting (its requests, the quiet time, its timers) rather than computing, so a couple
 * more pages than cores keep them busy (40 fixture pages on 2 busy cores: 20 s at 4 against 27 s
 * at 2). Each page is a renderer process of its own, hence not more.
 */
export function defaultLiveConcurrency(): number {
  return os.availableParallelism() + 2;
}

/** Quiet time after which a loaded page counts as ready, by default. */
export const DEFAULT_SETTLE_MS = 100;

/** Timers scheduled for at most this long are waited for (longer ones are not part of loading). */
export const TIMER_HORIZON_MS = 1_000;

/** A request in flight longer than this is a long poll or a stream, not loading; it is not waited for. */
const BACKGROUND_REQUEST_MS = 5_000;

/**
 * In the page before any of its scripts: records when the DOM last changed and which short timers
 * (≤ {@link TIMER_HORIZON_MS}) are pending. Timers keep their behaviour; only their ids are noted.
 */
const READINESS_PROBE = `(() => {
  if (window.__clearcopyReadiness) return;
  const state = { lastChange: performance.now(), timers: new Set() };
  Object.defineProperty(window, '__clearcopyReadiness', { value: state });
  const setTimeoutNative = window.setTimeout;
  const clearTimeoutNative = window.clearTimeout;
  window.setTimeout = function setTimeout(handler, delay, ...rest) {
    if (typeof handler !== 'function' || Number(delay) > ${TIMER_HORIZON_MS}) return setTimeoutNative.call(window, handler, delay, ...rest);
    const id = setTimeoutNative.call(window, function (...args) { state.timers.delete(id); return handler.apply(this, args); }, delay, ...rest);
    state.timers.add(id);
    return id;
  };
  window.clearTimeout = function clearTimeout(id) { state.timers.delete(id); return clearTimeoutNative.call(window, id); };
  new MutationObserver(() => { state.lastChange = performance.now(); })
    .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

/**
 * Opens one browser for a run in which every page gets a browser context of its own (no cookies,
 * storage, globals or timers carried from one page to the next). A page is loaded by navigation;
 * ready means the load event, then no request in flight, no short timer pending and no DOM change
 * for `settleMs`, then `waitFor`, then the actions (and readiness again), all within `timeoutMs`.
 * pa11y's client and runners are then evaluated in the page and run with the options pa11y passes.
 * A crash or a hung browser restarts it and the page is tried once more, as in {@link openAuditor}.
 */
export async function openLiveAuditor(options: LiveAuditorOptions & AuditorHooks = {}): Promise<LiveAuditor> {
  const standard = options.standard ?? 'WCAG2AA';
  const runners = options.runners ?? [...RUNNERS];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = Math.max(1, options.concurrency ?? defaultLiveConcurrency());
  const levelCapWhenNeedsReview = options.levelCapWhenNeedsReview ?? DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW;
  if (!ISSUE_LEVELS.includes(levelCapWhenNeedsReview)) {
    throw new ClearcopyError('USAGE', `clearcopy: levelCapWhenNeedsReview is one of ${ISSUE_LEVELS.join(', ')}, not ${String(levelCapWhenNeedsReview)}`);
  }
  for (const action of options.actions ?? []) assertAction(action, 'the run');
  const settleMs = Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS);
  // pa11y's client and runners in one evaluation (one round trip instead of three).
  const injection = runnerScripts(runners).join('\n;\n');
  const injected = injectedCheck(runners);
  const location = await requireBrowser(options.browserPath);
  const pool = new TabPool({
    executablePath: location.path,
    concurrency,
    protocolTimeout: Math.max(60_000, timeoutMs * 2),
    // One page per tab: each page's tab lives in its own new browser context.
    recycleAfter: 1,
    collectEvery: 0,
    acceptInsecureCerts: options.acceptInsecureCerts ?? true,
    onRestart: (reason) => options.onEvent?.({ type: 'browser-restart', reason }),
  });
  await pool.start();
  const probeMs = Math.min(5_000, Math.max(1_000, Math.round(timeoutMs / 2)));

  // The next page's tab (a new browser context and its renderer process) is opened while the
  // current pages load and are audited, so a page does not wait for its renderer to start. (Two
  // opened ahead were slower on 2 cores: their renderers competed with the pages in flight.)
  let spare: Promise<Tab> | undefined;
  const openTab = (): Promise<Tab> => {
    const ready = spare;
    spare = pool.open();
    spare.catch(() => undefined);
    return ready ?? pool.open();
  };
  const attempt = async (url: string, label: string, page: PageLoadOptions): Promise<Omit<LiveOutcome, 'durationMs'>> => {
    await pool.acquire();
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { timedOut = true; reject(new LiveTimeout()); }, timeoutMs);
    });
    timeout.catch(() => undefined);
    let tab: Tab | undefined;
    let stopWatching: (() => void) | undefined;
    try {
      const work = (async () => {
        let opening = openTab();
        // A spare from a browser that has since died is of no use.
        opening = opening.then((opened) => (opened.generation.dead ? (pool.retire(opened), pool.open()) : opened));
        opening.then((opened) => { if (timedOut) pool.retire(opened); }, () => undefined);
        tab = await Promise.race([opening, timeout]);
        const watch = tab.watch();
        stopWatching = watch.stop;
        const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, watch.lost, timeout]);
        const browserPage = tab.page;
        const scripts = page.scripts ?? options.scripts ?? true;
        const blocked = new Set<string>();
        const allowed = requestFilter(page.allowOrigins ?? options.allowOrigins ?? 'all', options.blockHosts ?? []);
        browserPage.on('dialog', (dialog) => void dialog.dismiss().catch(() => undefined));
        const headers = { ...options.headers, ...page.headers };
        // The tab's settings are independent of one another: sent at once.
        const [network] = await step(Promise.all([
          trackRequests(browserPage),
          browserPage.setViewport(page.viewport ?? options.viewport ?? PA11Y_VIEWPORT),
          browserPage.setUserAgent(PA11Y_USER_AGENT),
          Object.keys(headers).length ? browserPage.setExtraHTTPHeaders(headers) : undefined,
          !scripts ? browserPage.setJavaScriptEnabled(false) : browserPage.evaluateOnNewDocument(READINESS_PROBE),
          allowed ? browserPage.setRequestInterception(true) : undefined,
        ]));
        if (allowed) {
          browserPage.on('request', (request: HTTPRequest) => {
            if (request.isInterceptResolutionHandled()) return;
            if (allowed(request.url())) {
              void request.continue().catch(() => undefined);
            } else {
              blocked.add(request.url());
              void request.abort('blockedbyclient').catch(() => undefined);
            }
          });
        }
        // The navigation gets most of the page's time, so a page that never finishes loading is
        // told apart from one whose audit ran long.
        const loadMs = Math.max(1, Math.round(deadline - Date.now() - timeoutMs * 0.1));
        const response = await step(browserPage.goto(url, { waitUntil: 'load', timeout: loadMs })).catch((error: unknown) => {
          if (error instanceof Error && error.name === 'TimeoutError') {
            throw new ClearcopyError('AUDIT_TIMEOUT', `${label}: the page did not finish loading within its ${timeoutMs} ms (raise it with --timeout)`);
          }
          throw error;
        });
        if (response && response.status() >= 400) {
          throw new ClearcopyError('INPUT_UNREADABLE', `${label}: the server answered ${response.status()} ${response.statusText()}`.trimEnd());
        }
        // The page's source (for findings' lines) arrives while the page settles.
        const sourceText = response ? response.text().catch(() => undefined) : Promise.resolve(undefined);
        // The page's scripts were skipped while it was parsed (and <noscript> shown); pa11y's own
        // runner needs script, so it is turned back on for the audit (nothing of the page's runs).
        if (!scripts) await step(browserPage.setJavaScriptEnabled(true));
        // pa11y's client and runners (~800 kB to compile) go in while the page settles: they add
        // globals but change nothing the page shows. Checked again before the run, in case the page
        // or an action navigated away meanwhile.
        const injecting = browserPage.evaluate(injection).then(() => true, () => false);
        // Leave a share of the time for the audit itself.
        const readyBy = () => deadline - Math.min(timeoutMs / 3, 10_000);
        let settled = await step(waitUntilReady(browserPage, network, settleMs, readyBy(), scripts));
        const waitFor = page.waitFor ?? options.waitFor;
        if (waitFor) {
          await step(browserPage.waitForSelector(waitFor, { timeout: Math.max(1, readyBy() - Date.now()) })).catch((error: unknown) => {
            if (timedOut || error instanceof BrowserLostError) throw error;
            throw new ClearcopyError('AUDIT_FAILED', `${label}: no element matched --wait-for "${waitFor}" in time`);
          });
        }
        const actions = [...(options.actions ?? []), ...(page.actions ?? [])];
        for (const action of actions) {
          assertAction(action, label);
          try {
            await step(pa11yAction(tab.generation.browser, browserPage, { log: SILENT }, action));
          } catch (error) {
            if (timedOut || error instanceof BrowserLostError || error instanceof LiveTimeout) throw error;
            throw new ClearcopyError('AUDIT_FAILED', `${label}: action "${action}" failed (${describeError(error).replace(/^Failed action: /, '')})`);
          }
        }
        if (actions.length || waitFor) settled = (await step(waitUntilReady(browserPage, network, settleMs, readyBy(), scripts))) && settled;
        const present = (await step(injecting)) && (await step(browserPage.evaluate(injected).catch(() => false)));
        if (!present) await step(browserPage.evaluate(injection));
        const runOptions = pa11yRunOptions({
          standard, runners,
          ignore: [...(options.ignore ?? []), ...(page.ignore ?? [])],
          rootElement: page.rootElement ?? options.rootElement ?? null,
          hideElements: page.hideElements ?? options.hideElements ?? null,
          includeWarnings: true,
          includeNotices: true,
          levelCapWhenNeedsReview,
        });
        runOptions.wait = page.waitMs ?? options.waitMs ?? 0;
        const results = await step(browserPage.evaluate(
          (run: unknown) => (globalThis as unknown as { __pa11y: { run(o: unknown): Promise<Pa11yResults> } }).__pa11y.run(run),
          runOptions,
        ));
        const findings: Finding[] = results.issues.map(toFinding);
        const outcome: Omit<LiveOutcome, 'durationMs'> = { findings, documentTitle: results.documentTitle, url: browserPage.url(), blocked: [...blocked], settled };
        const source = await sourceText;
        if (source !== undefined) outcome.source = source;
        return outcome;
      })();
      work.catch(() => undefined);
      const result = await Promise.race([work, timeout]);
      stopWatching?.();
      stopWatching = undefined;
      // The slot is free at once; the context closes in the background.
      void pool.discard(tab);
      return result;
    } catch (error) {
      throw await pool.failedAttempt(tab, error, {
        overTime: timedOut || error instanceof LiveTimeout,
        label,
        probeMs,
        timeoutMessage: `${label}: loading and auditing took longer than ${timeoutMs} ms and was stopped (raise it with --timeout)`,
        describe: describeLoadError,
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
    async audit(url, label, page = {}) {
      return auditWithRetry(label, () => attempt(url, label, page), (reason) => options.onEvent?.({ type: 'retry', label, reason }));
    },
    async close() {
      const left = spare;
      spare = undefined;
      if (left) await left.then((tab) => pool.retire(tab), () => undefined);
      await pool.close();
    },
  };
}

class LiveTimeout extends Error {}

function assertAction(action: string, where: string): void {
  if (typeof action !== 'string' || !pa11yAction.isValidAction(action)) {
    throw new ClearcopyError('USAGE', `${where}: action "${String(action)}" is not one pa11y knows (click, set field … to …, clear field, check/uncheck field, screen capture, wait for …, navigate to …)`);
  }
}

function describeLoadError(error: unknown): string {
  const message = describeError(error);
  const net = /net::(ERR_[A-Z_]+)/.exec(message);
  return net ? `the page could not be loaded (${net[1]})` : `the audit failed (${message})`;
}

/**
 * A predicate for requests that may leave, or undefined when every request may (then no request
 * interception at all, as pa11y does without headers). `data:`, `blob:` and `about:` never leave.
 */
export function requestFilter(allowOrigins: 'all' | readonly string[], blockHosts: readonly string[]): ((url: string) => boolean) | undefined {
  if (allowOrigins === 'all' && blockHosts.length === 0) return undefined;
  const origins = allowOrigins === 'all' ? undefined : new Set(allowOrigins.map((origin) => new URL(origin).origin));
  const blockedHost = (host: string) => blockHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? host === p.slice(2) || host.endsWith(p.slice(1)) : host === p;
  });
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return true;
    if (blockedHost(parsed.hostname.toLowerCase())) return false;
    return !origins || origins.has(parsed.origin);
  };
}

interface NetworkTracker {
  /** Requests started and not yet finished or failed (by CDP request id), with when they started. */
  inflight: Map<string, number>;
  /** When a request last started or ended. */
  lastActivity: number;
}

/**
 * Counts the page's requests from the DevTools protocol's own Network events on a session of its
 * own (puppeteer's request events lose the end of some intercepted requests, e.g. fonts).
 */
async function trackRequests(page: Page): Promise<NetworkTracker> {
  const tracker: NetworkTracker = { inflight: new Map(), lastActivity: Date.now() };
  const session = await page.createCDPSession();
  const done = ({ requestId }: { requestId: string }) => {
    tracker.inflight.delete(requestId);
    tracker.lastActivity = Date.now();
  };
  session.on('Network.requestWillBeSent', ({ requestId }: { requestId: string }) => {
    if (!tracker.inflight.has(requestId)) tracker.inflight.set(requestId, Date.now());
    tracker.lastActivity = Date.now();
  });
  session.on('Network.loadingFinished', done);
  session.on('Network.loadingFailed', done);
  await session.send('Network.enable');
  return tracker;
}

/**
 * Polls until the page has been quiet for `settleMs`: no request in flight (long polls aside), no
 * short timer pending, no DOM change. Returns false when `deadline` came first.
 */
async function waitUntilReady(page: Page, network: NetworkTracker, settleMs: number, deadline: number, probe: boolean): Promise<boolean> {
  const poll = Math.max(10, Math.min(25, settleMs / 4));
  for (;;) {
    const now = Date.now();
    let busy = false;
    for (const started of network.inflight.values()) if (now - started < BACKGROUND_REQUEST_MS) busy = true;
    if (!busy && now - network.lastActivity >= settleMs) {
      if (!probe) return true;
      const state = await page.evaluate(() => {
        const probe = (window as unknown as { __clearcopyReadiness?: { lastChange: number; timers: Set<number> } }).__clearcopyReadiness;
        return probe ? { quietFor: performance.now() - probe.lastChange, timers: probe.timers.size } : { quietFor: Infinity, timers: 0 };
      });
      if (state.timers === 0 && state.quietFor >= settleMs) return true;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, poll));
  }
}
