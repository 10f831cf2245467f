// `clearcopy worker`: takes page jobs off the queue and runs each through the same per-page work as
// `clearcopy render` (load → cache → extract+render → atomic write → audit), one render work per
// distinct set of options, opened when a job first needs it.
import { readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { describeError } from '../errors.js';
import { sourceFromRef } from '../load/ref.js';
import { totalsOf, type PageResult, type RunResult } from '../model/run-result.js';
import { writeFileAtomic } from '../output.js';
import { pageJsonReport } from '../report/json.js';
import type { PageWork } from '../run/engine.js';
import { openRenderWork, type RenderContext, type RenderOptions } from '../run/render.js';
import { VERSION } from '../version.js';
import { defaultWorkerThreads } from '../workers/pool.js';
import { canonicalJson, DEFAULT_QUEUE, QUEUE_PREFIX, renderOptionsOf, type PageJobData, type PageOutcome } from './jobs.js';

/**
 * Failures that may pass on another try (a browser that crashed or hung, a thread over its time,
 * the disk, an unexpected error): the job is retried with backoff. Any other failure says something
 * about the page itself (no article, unreadable, not HTML) and fails its job at once.
 */
export const TRANSIENT_FAILURES: ReadonlySet<string> = new Set(['AUDIT_TIMEOUT', 'AUDIT_FAILED', 'BROWSER_FAILED', 'BROWSER_NOT_FOUND', 'EXTRACT_TIMEOUT', 'OUTPUT_FAILED', 'INTERNAL']);

/** What a worker tells as it goes (the CLI prints it). */
export type WorkerEvent =
  | { type: 'ready'; queue: string; concurrency: number; removedTemps: number }
  | { type: 'page'; page: PageResult; attempt: number; final: boolean }
  | { type: 'error'; message: string }
  | { type: 'stopping'; reason: string };

/** Options for {@link runWorker}. */
export interface WorkerOptions {
  connection: ConnectionOptions;
  queue?: string;
  outDir: string;
  reportsDir: string;
  /** Jobs in hand at once (default: as many pages as `render` keeps in flight). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a worker silent that long has its job taken back (default: 30,000 ms). */
  lockDurationMs?: number;
  cache?: RenderOptions['cache'];
  threads?: number;
  tabs?: number;
  browserPath?: string;
  /** Stop when the queue has nothing left to do (waiting, delayed or active), instead of waiting for more. */
  untilEmpty?: boolean;
  /** Aborting it finishes the jobs in hand and leaves the rest queued. */
  signal?: AbortSignal;
  onEvent?: (event: WorkerEvent) => void;
}

/** How a worker ended: pages it finished, of which failed, and why it stopped. */
export interface WorkerSummary {
  done: number;
  failed: number;
  stoppedBy: 'signal' | 'empty';
}

/** Runs a worker until `signal` aborts (or, with `untilEmpty`, the queue is empty). */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const emit = options.onEvent ?? (() => undefined);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const removedTemps = await removeStaleTemps([options.outDir, options.reportsDir]);
  const works = new Map<string, PageWork & RenderContext>();
  const workFor = (data: PageJobData) => {
    const key = canonicalJson(data.options);
    let work = works.get(key);
    if (!work) {
      work = openRenderWork(renderOptionsOf(data.options, {
        output: { dir: options.outDir },
        cache: options.cache ?? {},
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        ...(options.tabs !== undefined ? { tabs: options.tabs } : {}),
        ...(options.browserPath ? { browserPath: options.browserPath } : {}),
      }));
      works.set(key, work);
    }
    return work;
  };
  const summary: WorkerSummary = { done: 0, failed: 0, stoppedBy: 'signal' };

  const processor = async (job: Job<PageJobData, PageOutcome>): Promise<PageOutcome> => {
    const data = job.data;
    const work = workFor(data);
    const { page } = await work.run(sourceFromRef(data.ref, data.label, data.cwd), data.name, data.index);
    const outcome: PageOutcome = { page, standard: work.standard, runners: [...work.runners] };
    await writeFileAtomic(options.reportsDir, `${page.name}.json`, pageJsonReport(runOf(outcome), page));
    const final = page.status === 'ok' || !TRANSIENT_FAILURES.has(page.error?.code ?? '') || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    emit({ type: 'page', page, attempt: job.attemptsMade + 1, final });
    if (page.status === 'ok') {
      summary.done++;
      return outcome;
    }
    // A failed page keeps its result with its job, for the report.
    await job.updateData({ ...data, outcome });
    if (final) summary.failed++;
    const reason = page.error?.message ?? `${data.label}: failed`;
    throw TRANSIENT_FAILURES.has(page.error?.code ?? '') ? new Error(reason) : new UnrecoverableError(reason);
  };

  const tabs = options.tabs ?? os.availableParallelism();
  const threads = options.threads ?? defaultWorkerThreads();
  // As many pages in hand as `render` keeps in flight: every tab and thread busy, memory flat.
  const concurrency = Math.max(1, options.concurrency ?? tabs + Math.max(1, threads) + 1);
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker<PageJobData, PageOutcome>(queueName, processor, {
    connection: options.connection,
    prefix: QUEUE_PREFIX,
    concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    autorun: false,
  });
  // While Redis is away every connection reports each failed reconnection: say it once a minute.
  let lastError = '';
  let lastErrorAt = 0;
  const onError = (error: Error) => {
    const message = describeError(error);
    if (message === lastError && Date.now() - lastErrorAt < 60_000) return;
    lastError = message;
    lastErrorAt = Date.now();
    const lost = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection is closed/i.test(message);
    emit({ type: 'error', message: lost ? `Redis is not answering (${message}); reconnecting until it is back, the pages in hand go on` : message });
  };
  worker.on('error', onError);

  let stop: (reason: WorkerSummary['stoppedBy']) => void = () => undefined;
  const stopped = new Promise<WorkerSummary['stoppedBy']>((resolve) => (stop = resolve));
  const onAbort = () => stop('signal');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let poll: NodeJS.Timeout | undefined;
  const watcher = options.untilEmpty ? new Queue(queueName, { connection: options.connection, prefix: QUEUE_PREFIX }) : undefined;
  if (watcher) {
    watcher.on('error', () => undefined); // the worker itself says when Redis is away
    // Another worker's active job may still come back (if it dies): empty means nothing active either.
    poll = setInterval(() => {
      watcher.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')
        .then((counts) => { if (Object.values(counts).every((n) => n === 0)) stop('empty'); })
        .catch(() => undefined);
    }, 1_000);
  }

  emit({ type: 'ready', queue: queueName, concurrency, removedTemps });
  const running = worker.run();
  summary.stoppedBy = await stopped;
  if (poll) clearInterval(poll);
  await watcher?.close();
  options.signal?.removeEventListener('abort', onAbort);
  emit({ type: 'stopping', reason: summary.stoppedBy === 'empty' ? 'the queue is empty' : String(options.signal?.reason ?? 'stopped') });
  // close() lets the jobs in hand finish and takes no new one; the rest stay queued.
  await worker.close();
  await running.catch(() => undefined);
  await Promise.all([...works.values()].map((work) => work.close()));
  await removeStaleTemps([options.outDir, options.reportsDir]);
  return summary;
}

/** A one-page run, for the page's own JSON report (the queue's report rewrites it with the whole run). */
function runOf(outcome: PageOutcome): RunResult {
  const now = new Date().toISOString();
  const { page } = outcome;
  return {
    schemaVersion: 1,
    tool: { name: 'clearcopy', version: VERSION },
    standard: outcome.standard,
    runners: outcome.runners,
    startedAt: now,
    finishedAt: now,
    pages: [page],
    totals: totalsOf([page]),
  };
}

/** Temporary files of atomic writes: `.<name>.<pid>.<8 hex>.tmp` (see writeFileAtomic in src/output.ts). */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files a killed process left in `dirs` (its writes never finished, so their
 * targets hold the old content or none). A temp is left over when its process is gone from this
 * machine and it is older than a write takes; on a shared volume, one older than an hour whatever
 * its process (another machine's pid means nothing here).
 */
export async function removeStaleTemps(dirs: readonly string[], now = Date.now()): Promise<number> {
  let removed = 0;
  for (const dir of dirs) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = TEMP_FILE.exec(entry);
      if (!match) continue;
      const file = path.join(dir, entry);
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      const age = now - info.mtimeMs;
      const pid = Number(match[1]);
      if ((age > 10_000 && !alive(pid)) || age > 3_600_000) {
        await rm(file, { force: true });
        removed++;
      }
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
