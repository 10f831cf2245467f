// One headless browser for a run and a bounded pool of reused tabs in it. The pool knows nothing
// about pa11y: it launches (and relaunches) the browser, hands out tabs, notices crashes, and tells
// a hung browser from a slow page.
import puppeteer, { type Browser, type BrowserContext, type CDPSession, type Page } from 'puppeteer';
import { ClearcopyError, describeError } from '../errors.js';
import { BROWSER_ARGS, headlessMode, kindOf } from './browser.js';

/** One launch of the browser; a crash or a hang ends it and the next tab starts a new one. */
export interface BrowserGeneration {
  readonly id: number;
  readonly browser: Browser;
  /** Set once the browser has disconnected or been killed. */
  dead: boolean;
  /** Rejects when the browser disconnects. */
  readonly lost: Promise<never>;
  /** Open tabs' loss handlers, told when the browser disconnects (a tab leaves the set when it closes). */
  readonly tabs: Set<(error: Error) => void>;
  /**
   * A session on the browser's own target, for creating frameless tabs; kept for the browser's
   * life (detaching it would drop the browser target from puppeteer's list of targets).
   */
  browserSession?: Promise<CDPSession>;
}

/** A reused tab and what it holds besides the current document. */
export interface Tab {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly generation: BrowserGeneration;
  /** pa11y's client and runners were evaluated in this tab's window. */
  injected: boolean;
  /**
   * Content-Security-Policy meta values seen by the current document object. `setContent` keeps
   * the document, so policies pile up: a tab may take a document only if its policies include all
   * of these (then the result is as in a fresh tab).
   */
  policies: Set<string>;
  /** Audits run in this tab; it is replaced after {@link TabPoolOptions.recycleAfter}. */
  uses: number;
  /** Bytes of HTML audited in this tab since its renderer last collected garbage. */
  bytesSinceCollect: number;
  /** Why the tab was lost (renderer crash, browser gone), once it is. */
  lostError: Error | undefined;
  /**
   * A promise that rejects when the tab's renderer crashes or the browser goes away, for one audit;
   * call `stop` when the audit is over. (A promise kept for the tab's whole life would hold every
   * `Promise.race` raced against it, and with them every audit's results, until the browser ends.)
   */
  watch(): { lost: Promise<never>; stop: () => void };
  /** Runs a full garbage collection in the tab's renderer (V8); never rejects. */
  collectGarbage(): Promise<void>;
}

/** Why an audit attempt ended with the browser at fault; the page deserves another try. */
export class BrowserLostError extends Error {
  override name = 'BrowserLostError';
}

/**
 * One page's audit: `attempt` once more when the browser was at fault (a {@link BrowserLostError};
 * `onRetry` is told why), an `AUDIT_FAILED` when it fails twice; any other failure is the page's.
 * The outcome gets the time of all attempts and their number.
 */
export async function auditWithRetry<T extends object>(label: string, attempt: () => Promise<T>, onRetry?: (reason: string) => void): Promise<T & { durationMs: number; attempts: number }> {
  const started = performance.now();
  for (let attempts = 1; ; attempts++) {
    try {
      const outcome = await attempt();
      return { ...outcome, durationMs: performance.now() - started, attempts };
    } catch (error) {
      if (!(error instanceof BrowserLostError)) throw error;
      if (attempts >= 2) throw new ClearcopyError('AUDIT_FAILED', `${label}: the browser failed twice while auditing this page (${error.message})`, { cause: error });
      onRetry?.(error.message);
    }
  }
}

/** Options for {@link TabPool}. */
export interface TabPoolOptions {
  executablePath: string;
  /** Tabs in use at once. */
  concurrency: number;
  /** CDP call limit for puppeteer (default: 60 s). */
  protocolTimeout?: number;
  /**
   * Replace a tab (and its browser context, hence its renderer process) after this many audits,
   * so a long run does not grow a renderer's memory (default: {@link DEFAULT_RECYCLE_AFTER}).
   */
  recycleAfter?: number;
  /** Force a garbage collection in a tab's renderer after every this many audits (default: {@link DEFAULT_COLLECT_EVERY}; 0: never). */
  collectEvery?: number;
  /**
   * Tabs draw no frames: with a headless shell, each tab is created under begin-frame control and
   * no frame is ever asked for, so nothing is painted, rasterised or composited. Layout, styles and
   * hit testing (all an audit reads) still happen on demand. Only for static pages; ignored with a
   * full browser (see `AuditorOptions.staticPages`).
   */
  frameless?: boolean;
  /** Accept invalid TLS certificates (pa11y's default `ignoreHTTPSErrors`; default: false). */
  acceptInsecureCerts?: boolean;
  /** Prepares a new tab (request blocking, viewport…). */
  setup?: (page: Page) => Promise<void>;
  /** Called when the browser is (re)launched after the first time, with the reason. */
  onRestart?: (reason: string) => void;
}

/**
 * Audits per tab before it is replaced by default: a backstop for memory a garbage collection does
 * not give back. A fresh tab is dear (a new renderer process and pa11y's scripts compiled again:
 * 1–4 s on a busy 2-core machine, several audits' worth), so it is not done often.
 */
export const DEFAULT_RECYCLE_AFTER = 100;

/**
 * Audits per tab between forced garbage collections in its renderer, by default. A renderer reused
 * for `setContent` after `setContent` grows by about 1–2 MiB per page because V8 collects lazily
 * (measured on the 130 real-page copies in one tab: 214 MiB after 10 pages, 300 MiB after 100);
 * a full collection every 10 pages kept it at 161–175 MiB, for far less than a fresh tab costs.
 */
export const DEFAULT_COLLECT_EVERY = 20;

/**
 * HTML audited in a tab (in UTF-16 code units) after which its renderer collects garbage even before
 * `collectEvery` audits: about 20 ordinary copies' worth. Large pages back to back (the 1,000-page
 * benchmark runs each page's repeats in a row) grew the renderers to 1.1 GiB with collections
 * every 20 audits only.
 */
export const COLLECT_AFTER_BYTES = 400_000;

/**
 * A bounded pool of tabs in one browser. `acquire` waits for a free slot and returns an idle tab or
 * `undefined` (then call {@link TabPool.open} inside your time budget); give every slot back with
 * `release` or `discard`.
 */
export class TabPool {
  #current: BrowserGeneration | undefined;
  #launching: Promise<BrowserGeneration> | undefined;
  #generations = 0;
  #idle: Tab[] = [];
  #free: number;
  #waiting: (() => void)[] = [];
  #closed = false;
  #lastLossReason: string | undefined;
  /** Each open tab's handler in its generation's `tabs`, removed when the tab closes. */
  #onLost = new WeakMap<Tab, (error: Error) => void>();

  constructor(readonly options: TabPoolOptions) {
    this.#free = Math.max(1, options.concurrency);
  }

  /** Launches the browser now (so a missing or broken browser is reported up front). */
  async start(): Promise<void> {
    await this.#browser();
  }

  /** The pid of the current browser process, when it runs (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.#current && !this.#current.dead ? this.#current.browser.process()?.pid : undefined;
  }

  /** The live browser launch, if any. */
  get generation(): BrowserGeneration | undefined {
    return this.#current;
  }

  /** Waits for a free slot; returns an idle tab of the live browser, or undefined to open one. */
  async acquire(): Promise<Tab | undefined> {
    if (this.#closed) throw new ClearcopyError('AUDIT_FAILED', 'the auditor is closed');
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    while (this.#idle.length) {
      const tab = this.#idle.pop()!;
      if (!tab.generation.dead && !tab.page.isClosed()) return tab;
    }
    return undefined;
  }

  /** Opens a new tab in the live browser, launching a new one if it crashed or hung. */
  async open(): Promise<Tab> {
    const generation = await this.#browser();
    let page: Page;
    let context: BrowserContext;
    try {
      // A browser context per tab: contexts never share a renderer process, so a page that blocks
      // its renderer (a script in a loop, a huge layout) cannot stall the pages beside it.
      context = await generation.browser.createBrowserContext();
      page = this.#frameless ? await framelessPage(generation, context) : await context.newPage();
    } catch (error) {
      if (generation.dead || !generation.browser.connected) throw new BrowserLostError(`the browser went away (${describeError(error)})`);
      throw error;
    }
    const watchers = new Set<(error: Error) => void>();
    const fail = (error: Error): void => {
      if (tab.lostError) return;
      tab.lostError = error;
      generation.tabs.delete(fail);
      for (const watcher of watchers) watcher(error);
      watchers.clear();
    };
    let session: Promise<CDPSession> | undefined;
    const tab: Tab = {
      page, context, generation, injected: false, policies: new Set(), uses: 0, bytesSinceCollect: 0, lostError: undefined,
      async collectGarbage() {
        try {
          session ??= page.createCDPSession();
          await withDeadline((await session).send('HeapProfiler.collectGarbage').then(() => undefined), 10_000, undefined);
        } catch {
          // a tab that cannot collect is still a tab; a lost one is noticed by the next audit
        }
      },
      watch() {
        if (tab.lostError) {
          const lost = Promise.reject(tab.lostError);
          lost.catch(() => undefined);
          return { lost, stop: () => undefined };
        }
        let reject!: (error: Error) => void;
        const lost = new Promise<never>((_, r) => { reject = r; });
        lost.catch(() => undefined);
        watchers.add(reject);
        return { lost, stop: () => { watchers.delete(reject); } };
      },
    };
    page.on('error', (error) => fail(new BrowserLostError(`the browser tab crashed (${describeError(error)})`)));
    generation.tabs.add(fail);
    this.#onLost.set(tab, fail);
    if (generation.dead) fail(new BrowserLostError('the browser went away'));
    await this.options.setup?.(page);
    return tab;
  }

  /** Gives a slot back, keeping a healthy tab for the next audit. */
  release(tab: Tab | undefined): void {
    if (tab && !tab.generation.dead && !tab.lostError && !tab.page.isClosed() && tab.uses < (this.options.recycleAfter ?? DEFAULT_RECYCLE_AFTER)) this.#idle.push(tab);
    else if (tab) void this.#closeTab(tab);
    this.#giveSlot();
  }

  /**
   * Called after each successful audit in `tab` of `htmlBytes` of HTML: collects garbage in its
   * renderer every `collectEvery` audits, or sooner once {@link COLLECT_AFTER_BYTES} of HTML went
   * through it (large pages in a row leave far more garbage than 20 ordinary ones).
   */
  async tidy(tab: Tab, htmlBytes = 0): Promise<void> {
    const every = this.options.collectEvery ?? DEFAULT_COLLECT_EVERY;
    tab.bytesSinceCollect += htmlBytes;
    const due = tab.uses % every === 0 || tab.bytesSinceCollect >= COLLECT_AFTER_BYTES;
    if (every > 0 && due && tab.uses < (this.options.recycleAfter ?? DEFAULT_RECYCLE_AFTER) && !tab.lostError && !tab.generation.dead) {
      tab.bytesSinceCollect = 0;
      await tab.collectGarbage();
    }
  }

  /** Closes a tab but keeps its slot (for a tab that cannot take the next document). */
  retire(tab: Tab): void {
    void this.#closeTab(tab);
  }

  /** Gives a slot back and closes its tab (after a timeout or an error its state is unknown). */
  async discard(tab: Tab | undefined): Promise<void> {
    this.#giveSlot();
    if (tab) await this.#closeTab(tab);
  }

  /**
   * After a page ran over its time: is the browser itself still answering? If it is not (hung,
   * stopped, crashed), kill it so the next tab starts a new one, and return false.
   */
  async isHealthy(generation: BrowserGeneration, withinMs: number): Promise<boolean> {
    if (generation.dead) return false;
    const answered = await withDeadline(generation.browser.version().then(() => true, () => false), withinMs, false);
    if (answered && !generation.dead) return true;
    this.#kill(generation, `the browser stopped answering for ${withinMs} ms`);
    return false;
  }

  /**
   * Discards a failed audit attempt's tab and says what the failure was: over its time, the page's
   * fault (`AUDIT_TIMEOUT`) unless the browser itself stopped answering (then it is killed first,
   * so closing the tab does not wait on a hung browser); the browser lost or gone (a
   * {@link BrowserLostError}: the page deserves another try); else the page's own failure.
   */
  async failedAttempt(tab: Tab | undefined, error: unknown, how: { overTime: boolean; label: string; probeMs: number; timeoutMessage: string; describe: (error: unknown) => string }): Promise<Error> {
    const generation = tab?.generation ?? this.generation;
    if (!(error instanceof BrowserLostError) && how.overTime) {
      const healthy = !generation || (await this.isHealthy(generation, how.probeMs));
      await this.discard(tab);
      if (!healthy) return new BrowserLostError(`the browser stopped answering while auditing ${how.label}`);
      return new ClearcopyError('AUDIT_TIMEOUT', how.timeoutMessage);
    }
    await this.discard(tab);
    if (error instanceof BrowserLostError) return error;
    if (generation && (generation.dead || !generation.browser.connected)) return new BrowserLostError(`the browser went away (${describeError(error)})`);
    if (error instanceof ClearcopyError) return error;
    return new ClearcopyError('AUDIT_FAILED', `${how.label}: ${how.describe(error)}`, { cause: error });
  }

  /** Closes every tab and the browser. */
  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current;
    this.#current = undefined;
    this.#idle = [];
    if (current && !current.dead) {
      current.dead = true;
      await withDeadline(current.browser.close().catch(() => undefined), 10_000, undefined);
      killTree(current.browser);
    }
  }

  #giveSlot(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }

  async #closeTab(tab: Tab): Promise<void> {
    const onLost = this.#onLost.get(tab);
    if (onLost) tab.generation.tabs.delete(onLost);
    if (tab.generation.dead || tab.page.isClosed()) return;
    // A tab whose renderer is stuck in a loop may not close politely; do not wait for it forever.
    await withDeadline(tab.context.close().catch(() => undefined), 5_000, undefined);
  }

  #kill(generation: BrowserGeneration, reason: string): void {
    if (generation.dead) return;
    generation.dead = true;
    this.#lastLossReason = reason;
    killTree(generation.browser);
    void generation.browser.disconnect().catch(() => undefined);
    if (this.#current === generation) this.#current = undefined;
  }

  #browser(): Promise<BrowserGeneration> {
    if (this.#current && !this.#current.dead && this.#current.browser.connected) return Promise.resolve(this.#current);
    if (this.#closed) return Promise.reject(new ClearcopyError('AUDIT_FAILED', 'the auditor is closed'));
    this.#launching ??= this.#launch().finally(() => { this.#launching = undefined; });
    return this.#launching;
  }

  /** Whether tabs are frameless: asked for, and the browser is a headless shell (the only kind that can be). */
  get #frameless(): boolean {
    return this.options.frameless === true && kindOf(this.options.executablePath) === 'shell';
  }

  async #launch(): Promise<BrowserGeneration> {
    const previous = this.#current;
    if (previous) this.#kill(previous, 'the browser disconnected');
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: this.options.executablePath,
        // A headless shell runs in its own (old) headless mode; a full browser in the new one.
        headless: headlessMode(kindOf(this.options.executablePath)),
        args: this.#frameless ? [...BROWSER_ARGS, '--enable-begin-frame-control'] : BROWSER_ARGS,
        protocolTimeout: this.options.protocolTimeout ?? 60_000,
        ...(this.options.acceptInsecureCerts ? { acceptInsecureCerts: true } : {}),
      });
    } catch (error) {
      throw new ClearcopyError('BROWSER_FAILED', `${this.options.executablePath}: the browser did not start (${describeError(error)})`, { cause: error });
    }
    const id = ++this.#generations;
    let reject!: (error: Error) => void;
    const lost = new Promise<never>((_, r) => { reject = r; });
    lost.catch(() => undefined);
    const generation: BrowserGeneration = { id, browser, dead: false, lost, tabs: new Set() };
    browser.once('disconnected', () => {
      const reason = generation.dead ? (this.#lastLossReason ?? 'the browser was stopped') : 'the browser process exited (crashed or was killed)';
      generation.dead = true;
      if (this.#current === generation) this.#current = undefined;
      const error = new BrowserLostError(reason);
      reject(error);
      for (const tabLost of [...generation.tabs]) tabLost(error);
      generation.tabs.clear();
    });
    if (id > 1) this.options.onRestart?.(this.#lastLossReason ?? 'the browser process exited (crashed or was killed)');
    this.#lastLossReason = undefined;
    if (this.#closed) {
      await browser.close().catch(() => undefined);
      throw new ClearcopyError('AUDIT_FAILED', 'the auditor is closed');
    }
    this.#current = generation;
    return generation;
  }
}

/**
 * A new page in `context` created under begin-frame control (CDP `Target.createTarget` with
 * `enableBeginFrameControl`): it produces a frame only when `HeadlessExperimental.beginFrame` asks,
 * which nothing does. The context holds only this page, so it is the context's one page target.
 */
async function framelessPage(generation: BrowserGeneration, context: BrowserContext): Promise<Page> {
  generation.browserSession ??= generation.browser.waitForTarget((candidate) => candidate.type() === 'browser', { timeout: 30_000 })
    .then((target) => target.createCDPSession())
    .catch((error: unknown) => {
      generation.browserSession = undefined; // the next tab tries again
      throw error;
    });
  const session = await generation.browserSession;
  await session.send('Target.createTarget', { url: 'about:blank', browserContextId: context.id, enableBeginFrameControl: true });
  const target = await context.waitForTarget((candidate) => candidate.type() === 'page', { timeout: 30_000 });
  const page = await target.page();
  if (!page) throw new Error('the frameless tab has no page');
  return page;
}

/** Resolves with `promise`, or with `fallback` after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((resolve) => { timer = setTimeout(() => resolve(fallback), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** Kills the browser's process group (puppeteer starts it detached, as a group leader), else the process. */
function killTree(browser: Browser): void {
  const pid = browser.process()?.pid;
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
