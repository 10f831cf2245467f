import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ExtractDone, ExtractTask } from './extract-render.js';

/** Extracts and renders pages, on worker threads or on this one. */
export interface Extractor {
  /** Worker threads in use (0: the calling thread). */
  readonly threads: number;
  run(task: ExtractTask): Promise<ExtractDone>;
  close(): Promise<void>;
}

/** Old-generation heap ceiling of each extraction thread, in MiB (`CLEARCOPY_WORKER_HEAP_MB` overrides it). */
export const WORKER_HEAP_MB = 768;

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
 * not built, extraction runs on the calling thread.
 */
export async function openExtractor(threads: number): Promise<Extractor> {
  const filename = threads > 0 ? workerFile() : undefined;
  if (!filename) {
    const { extractAndRender } = await import('./extract-render.js');
    return { threads: 0, run: async (task) => extractAndRender(task), close: async () => undefined };
  }
  const { Piscina } = await import('piscina');
  const pool = new Piscina<ExtractTask, ExtractDone>({
    filename,
    minThreads: Math.min(1, threads),
    maxThreads: threads,
    idleTimeout: 30_000,
    // V8 sizes each thread's heap from the machine's memory (up to ~4 GiB) and collects lazily until
    // it is near that size, so on a big machine the workers' memory would grow with the number of
    // pages, not with the largest page. A fixed ceiling makes it collect instead; a page that needs
    // more than this fails alone (piscina replaces the worker) and the run goes on.
    resourceLimits: { maxOldGenerationSizeMb: Number(process.env.CLEARCOPY_WORKER_HEAP_MB) || WORKER_HEAP_MB },
  });
  return {
    threads,
    run: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}
