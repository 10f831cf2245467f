import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EXTRACT_TIMEOUT_MS } from '../defaults.js';
import { describeError } from '../errors.js';
import type { ExtractDone, ExtractTask } from './extract-render.js';

/** Extracts and renders pages, on worker threads or on this one. */
export interface Extractor {
  /** Worker threads in use (0: the calling thread). */
  readonly threads: number;
  run(task: ExtractTask): Promise<ExtractDone>;
  close(): Promise<void>;
}

/** Options for {@link openExtractor}. */
export interface ExtractorOptions {
  /**
   * Time one page may take to extract and render on a worker thread, in milliseconds, counted from
   * when a thread starts on it (default: {@link defaultExtractTimeoutMs}); `0` = no limit. A page
   * over it fails alone with one line naming it: its thread is terminated and replaced, and the
   * next pages run. A task's own `timeoutMs` wins. Extraction on the calling thread (0 threads)
   * cannot be stopped, so it has no limit.
   */
  timeoutMs?: number;
  /** How to raise the limit, for the error message (default: `--extract-timeout`). */
  timeoutHint?: string;
}

/** Time one page may take to extract and render, in milliseconds. */
export const EXTRACT_TIMEOUT_MS = DEFAULT_EXTRACT_TIMEOUT_MS;

/** The default per-page extraction time limit: `CLEARCOPY_EXTRACT_TIMEOUT_MS` when set (0 = none), else {@link EXTRACT_TIMEOUT_MS}. */
export function defaultExtractTimeoutMs(): number {
  const fromEnv = process.env.CLEARCOPY_EXTRACT_TIMEOUT_MS;
  const value = fromEnv === undefined || fromEnv === '' ? NaN : Number(fromEnv);
  return Number.isFinite(value) && value >= 0 ? value : EXTRACT_TIMEOUT_MS;
}

/**
 * Old-generation heap ceiling of each extraction thread, in MiB (`CLEARCOPY_WORKER_HEAP_MB`
 * overrides it; 0 = V8's own, sized from the machine's memory): a bound on what one runaway page
 * can take. A thread's live heap between pages is 40–60 MiB; a page that still runs out of memory
 * is tried once more on a fresh thread, then fails alone.
 */
export const WORKER_HEAP_MB = 768;

function workerHeapMb(): number | undefined {
  const raw = process.env.CLEARCOPY_WORKER_HEAP_MB;
  const value = raw === undefined || raw === '' ? WORKER_HEAP_MB : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Worker threads used by default: one per core, at most 4 (the browser needs cores too). */
export function defaultWorkerThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/**
 * The compiled worker module. From `dist/` it sits beside this file; when this file runs from
 * `src/` (tests run TypeScript directly) worker threads cannot load `.ts`, so the built copy in
 * `dist/` is used (`npm test` builds first).
 */
export function workerFile(): string | undefined {
  const here = fileURLToPath(new URL('./extract-render.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = here.replace(/([\\/])src([\\/])workers([\\/])extract-render\.js$/, '$1dist$2workers$3extract-render.js');
  return existsSync(built) ? built : undefined;
}

/**
 * Opens an extractor with `threads` worker threads (piscina); with 0, or when the worker module is
 * not built, extraction runs on the calling thread. Every failure, a page over its time limit or
 * over a thread's heap ceiling included, comes back as `{ ok: false }` with one line naming the page.
 */
export async function openExtractor(threads: number, options: ExtractorOptions = {}): Promise<Extractor> {
  const filename = threads > 0 ? workerFile() : undefined;
  if (!filename) {
    const { extractAndRender } = await import('./extract-render.js');
    return { threads: 0, run: async (task) => extractAndRender(task), close: async () => undefined };
  }
  const { Piscina } = await import('piscina');
  const heapMb = workerHeapMb();
  const pool = new Piscina<ExtractTask, ExtractDone>({
    filename,
    minThreads: Math.min(1, threads),
    maxThreads: threads,
    idleTimeout: 30_000,
    // Between tasks the thread's event loop must turn. With piscina's default ("sync" atomics) a
    // thread sleeps in Atomics.wait from one task to the next, so the tasks V8 and jsdom post to
    // its loop never run and the garbage they would release piles up (see bench/README.md).
    atomics: 'disabled',
    ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
  });
  // A thread that fails between tasks (out of memory while collecting, say) is replaced by piscina;
  // without a listener its 'error' event would end the whole run.
  pool.on('error', () => undefined);
  const defaultTimeout = options.timeoutMs ?? defaultExtractTimeoutMs();
  const hint = options.timeoutHint ?? (options.timeoutMs === undefined && process.env.CLEARCOPY_EXTRACT_TIMEOUT_MS ? 'CLEARCOPY_EXTRACT_TIMEOUT_MS' : '--extract-timeout');
  const run = async (task: ExtractTask): Promise<ExtractDone> => {
    const limit = task.timeoutMs ?? defaultTimeout;
    const controller = new AbortController();
    const started = new SharedArrayBuffer(4);
    const flag = new Int32Array(started);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    if (limit > 0) {
      // The clock starts when a thread takes the task (it sets the flag), not while it waits in the queue.
      const poll = Math.min(50, Math.max(1, Math.floor(limit / 4)));
      timer = setInterval(() => {
        if (Atomics.load(flag, 0) !== 1) return;
        clearInterval(timer);
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, limit);
      }, poll);
    }
    try {
      try {
        return await pool.run({ ...task, started }, { signal: controller.signal });
      } catch (error) {
        if ((error as NodeJS.ErrnoException)?.code !== 'ERR_WORKER_OUT_OF_MEMORY' || timedOut) throw error;
        // Once more, on a fresh thread, within the same time budget.
        return await pool.run({ ...task, started }, { signal: controller.signal });
      }
    } catch (error) {
      if (timedOut) {
        return { ok: false, error: { code: 'EXTRACT_TIMEOUT', message: `${task.label}: extraction took longer than ${seconds(limit)} (limit: ${hint})` } };
      }
      if ((error as NodeJS.ErrnoException)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const limit = heapMb ? `the ${heapMb} MB a worker thread may use (limit: CLEARCOPY_WORKER_HEAP_MB)` : 'the memory a worker thread may use';
        return { ok: false, error: { code: 'INPUT_TOO_LARGE', message: `${task.label}: extraction ran out of memory twice, over ${limit}` } };
      }
      return { ok: false, error: { code: 'INTERNAL', message: `${task.label}: extraction failed (${describeError(error)})` } };
    } finally {
      clearInterval(timer);
      clearTimeout(timer);
    }
  };
  return { threads, run, close: () => pool.destroy() };
}

/** A time limit for people: "60 s", "1.5 s", "200 ms". */
function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
