// The run engine every command shares: sources → names → shard → lanes → per-page work → one
// RunResult. What a command does to a page is its PageWork (render: ./render.ts, audit: ./audit.ts);
// everything around the page (naming, sharding, interruption, progress, a fatal stop, the result)
// is here, so it holds for every command alike.
import { ClearcopyError, failureOf } from '../errors.js';
import type { PageSource } from '../load/source.js';
import { countBySource, countFindings, totalsOf, type PageResult, type RunResult } from '../model/run-result.js';
import { NameAllocator } from '../output.js';
import { VERSION } from '../version.js';
import { shardOf, type Shard } from './shard.js';

/**
 * Progress events a caller can show; the library itself never prints. Events are plain data
 * (see `src/cli/progress.ts` for the terminal renderer).
 */
export type ProgressEvent =
  /** The run starts: `total` pages to process (after sharding; `inputs` before it; 0 while sources still arrive). */
  | { type: 'start'; total: number; inputs?: number; shard?: Shard }
  /** A page finished (`cached`: its result came from the cache); `failed` counts failed pages so far. */
  | { type: 'page'; page: PageResult; done: number; total: number; cached?: boolean; failed: number }
  /** The browser crashed or hung while auditing `input`; the page is being tried once more. */
  | { type: 'retry'; input: string; reason: string }
  /** A new browser was started after the previous one crashed or hung. */
  | { type: 'browser-restart'; reason: string }
  /** The run is over. */
  | { type: 'end'; totals: RunResult['totals']; cached: number; durationMs: number };

/** What one page's work produced. */
export interface PageDone {
  page: PageResult;
  /** The result came from the cache (optional). */
  cached?: boolean;
}

/**
 * What a command does to each page, and what the run says it checked. A page's own problems
 * (unreadable, no article, an audit timeout) come back as a failed {@link PageResult}; `run`
 * rejects only for what stops the whole run (no browser, no worker thread).
 */
export interface PageWork {
  /** The WCAG level the run is judged at. */
  readonly standard: string;
  /** The runners whose findings the results hold. */
  readonly runners: readonly string[];
  /** Pages to keep in flight at once, for a run of `total` pages (undefined: not known yet). */
  lanes(total: number | undefined): number;
  /** Processes one page under its settled output name; `index` is its place in the run (from 0, in input order). */
  run(source: PageSource, name: string, index: number): Promise<PageDone>;
  /** Releases the browser and threads the work opened (safe to call more than once). */
  close(): Promise<void>;
}

/** How a run is driven, whatever its per-page work. */
export interface RunControl {
  /** Process only this shard of the inputs: a stable split by input label (optional). */
  shard?: Shard;
  /**
   * Stops the run early (Ctrl-C): no new page starts, pages in flight finish, and the result holds
   * the pages that finished, with `interrupted` set (optional).
   */
  signal?: AbortSignal;
  /** Called as the run progresses (optional). */
  onProgress?: (event: ProgressEvent) => void;
}

/** Sources as the engine takes them: a list, or an iterable a queue feeds as pages arrive. */
export type Sources = readonly PageSource[] | Iterable<PageSource> | AsyncIterable<PageSource>;

/**
 * Runs `work` on every source, a few pages at a time, and returns the run in input order.
 *
 * Output names are settled over all sources in order before sharding (so a page has the same name
 * in every shard); with a list, `start` announces the exact number of pages; with an async
 * iterable, sources are taken as they arrive. Only a fatal error (from `work.run`) rejects, after
 * the pages in flight have finished; the caller closes `work`.
 */
export async function runPages(sources: Sources, work: PageWork, control: RunControl = {}): Promise<RunResult> {
  const began = performance.now();
  const startedAt = new Date().toISOString();
  const emit = control.onProgress ?? (() => undefined);
  const shard = checkShard(control.shard);
  const names = new NameAllocator();
  const inShard = (source: PageSource) => !shard || shardOf(source.label, shard.total) === shard.index;

  // A list is named and sharded up front (its total is known); anything else as it arrives.
  let queue: AsyncIterator<{ source: PageSource; name: string }> | Iterator<{ source: PageSource; name: string }>;
  let total: number | undefined;
  let inputs: number | undefined;
  if (Array.isArray(sources)) {
    const list = sources as readonly PageSource[];
    const named = list.map((source) => ({ source, name: names.next(source.rawName) })).filter(({ source }) => inShard(source));
    total = named.length;
    inputs = list.length;
    queue = named[Symbol.iterator]();
  } else {
    queue = namedLazily(sources as Iterable<PageSource> | AsyncIterable<PageSource>, names, inShard);
  }

  const pages: PageResult[] = [];
  let taken = 0;
  let done = 0;
  let failed = 0;
  let cachedPages = 0;
  let fatal: unknown;
  emit({ type: 'start', total: total ?? 0, ...(inputs !== undefined ? { inputs } : {}), ...(shard ? { shard } : {}) });
  const stopped = () => fatal !== undefined || control.signal?.aborted === true;
  const lane = async () => {
    while (!stopped()) {
      const next = await queue.next();
      if (next.done || stopped()) return;
      const index = taken++;
      const { source, name } = next.value;
      let outcome: PageDone;
      try {
        outcome = await work.run(source, name, index);
      } catch (error) {
        // Only fatal errors get here (no browser, no worker): stop taking new pages.
        fatal ??= error;
        return;
      }
      pages[index] = outcome.page;
      done++;
      if (outcome.cached) cachedPages++;
      if (outcome.page.status === 'failed') failed++;
      emit({ type: 'page', page: outcome.page, done, total: total ?? taken, cached: outcome.cached === true, failed });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, work.lanes(total)) }, lane));
  if (fatal !== undefined) throw fatal;

  // An interrupted run reports the pages that finished, in input order.
  const finished = pages.filter((page): page is PageResult => page !== undefined);
  const notProcessed = (total ?? taken) - finished.length;
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'clearcopy', version: VERSION },
    standard: work.standard,
    runners: [...work.runners],
    startedAt,
    finishedAt: new Date().toISOString(),
    pages: finished,
    totals: totalsOf(finished),
    ...(shard ? { shard } : {}),
    ...(control.signal?.aborted && (total === undefined || notProcessed > 0) ? { interrupted: { reason: interruptReason(control.signal), notProcessed } } : {}),
  };
  emit({ type: 'end', totals: result.totals, cached: cachedPages, durationMs: Math.round(performance.now() - began) });
  return result;
}

/** Sources from any iterable, named in arrival order and filtered to the shard, one at a time. */
async function* namedLazily(sources: Iterable<PageSource> | AsyncIterable<PageSource>, names: NameAllocator, inShard: (source: PageSource) => boolean) {
  for await (const source of sources) {
    const name = names.next(source.rawName);
    if (inShard(source)) yield { source, name };
  }
}

/** A page's result before anything happened to it: ok, not audited, no findings. */
export function emptyPage(name: string, input: string): PageResult {
  return { name, input, status: 'ok', audited: false, findings: [], counts: { error: 0, warning: 0, notice: 0 }, bySource: {}, durationMs: 0 };
}

/** Sets a page's counts and duration from its findings and its start time (`performance.now()`). */
export function settle(page: PageResult, started: number): PageResult {
  page.counts = countFindings(page.findings);
  page.bySource = countBySource(page.findings);
  page.durationMs = Math.round(performance.now() - started);
  return page;
}

/** Marks a page failed with the error's one line. */
export function fail(page: PageResult, error: unknown): void {
  page.status = 'failed';
  page.error = failureOf(error, page.input);
}

/** A resource opened when the first page needs it (a browser, worker threads) and closed once. */
export function lazily<T extends { close(): Promise<void> }>(open: () => Promise<T>): { get(): Promise<T>; close(): Promise<void> } {
  let opening: Promise<T> | undefined;
  return {
    get: () => (opening ??= open()),
    close: async () => {
      const current = opening;
      opening = undefined;
      if (current) await current.then((resource) => resource.close(), () => undefined);
    },
  };
}

/** The signal's reason as a short word (`SIGINT`, `SIGTERM`), or `aborted`. */
function interruptReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.message) return reason.message;
  return 'aborted';
}

function checkShard(shard: Shard | undefined): Shard | undefined {
  if (!shard) return undefined;
  const { index, total } = shard;
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(index) || index < 1 || index > total) {
    throw new ClearcopyError('USAGE', `clearcopy: a shard is "i/n" with 1 ≤ i ≤ n (for example 2/4), not ${index}/${total}`);
  }
  return shard;
}
