// `clearcopy queue status` and `clearcopy queue report`: what the queue holds, and every finished
// page merged into one run, as a single `render` would have reported it.
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { totalsOf, type PageResult, type RunResult } from '../model/run-result.js';
import { VERSION } from '../version.js';
import { DEFAULT_QUEUE, QUEUE_PREFIX, type PageJobData, type PageOutcome } from './jobs.js';

/** How far a queue is. */
export interface QueueStatus {
  queue: string;
  waiting: number;
  active: number;
  /** Pages finished and converted (completed jobs). */
  done: number;
  /** Pages whose jobs failed for good (their reasons in `failures`). */
  failed: number;
  /** Pages waiting for a retry. */
  delayed: number;
  total: number;
  /** Pages finished per second over the last {@link RATE_WINDOW_MS} (0 when none). */
  pagesPerSecond: number;
  /** Seconds until the pages left are done at that rate (undefined when nothing is moving). */
  etaSeconds?: number;
  failures: { name: string; input: string; reason: string; attempts: number }[];
}

/** The rate is measured over the pages finished in the last five minutes. */
export const RATE_WINDOW_MS = 5 * 60_000;

type PageJob = Job<PageJobData, PageOutcome>;

function openQueue(connection: ConnectionOptions, name: string) {
  return new Queue<PageJobData, PageOutcome>(name, { connection, prefix: QUEUE_PREFIX });
}

/** The queue's counts, rate, ETA and failed pages. */
export async function queueStatus(connection: ConnectionOptions, queueName = DEFAULT_QUEUE, now = Date.now()): Promise<QueueStatus> {
  const queue = openQueue(connection, queueName);
  try {
    const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children');
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0);
    const status: QueueStatus = {
      queue: queueName,
      waiting,
      active: counts.active ?? 0,
      done: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      delayed: counts.delayed ?? 0,
      total: 0,
      pagesPerSecond: 0,
      failures: [],
    };
    status.total = status.waiting + status.active + status.done + status.failed + status.delayed;
    // Finished jobs, newest first: those of the window give the rate.
    const recent: PageJob[] = [];
    for (let start = 0; ; start += 500) {
      const batch = (await queue.getJobs(['completed', 'failed'], start, start + 499, false)).filter(Boolean) as PageJob[];
      const inWindow = batch.filter((job) => (job.finishedOn ?? 0) >= now - RATE_WINDOW_MS);
      recent.push(...inWindow);
      if (batch.length < 500 || inWindow.length < batch.length) break;
    }
    if (recent.length) {
      const since = Math.max(now - RATE_WINDOW_MS, Math.min(...recent.map((job) => job.processedOn ?? job.finishedOn ?? now)));
      status.pagesPerSecond = recent.length / Math.max(1, (now - since) / 1000);
      const left = status.waiting + status.active + status.delayed;
      if (status.pagesPerSecond > 0) status.etaSeconds = Math.round(left / status.pagesPerSecond);
    }
    const failed = (await queue.getJobs(['failed'], 0, -1, true)).filter(Boolean) as PageJob[];
    status.failures = failed
      .sort((a, b) => a.data.index - b.data.index)
      .map((job) => ({ name: job.data.name, input: job.data.label, reason: job.failedReason ?? job.data.outcome?.page.error?.message ?? 'failed', attempts: job.attemptsMade }));
    return status;
  } finally {
    await queue.close();
  }
}

/**
 * Every page of the queue as one run, in the order the pages were added: finished pages with their
 * results, failed ones with theirs. Pages not finished yet are counted in `interrupted`, so a report
 * of a queue still in progress cannot pass for a whole one.
 */
export async function queueRun(connection: ConnectionOptions, queueName = DEFAULT_QUEUE): Promise<RunResult> {
  const queue = openQueue(connection, queueName);
  try {
    const finished: { index: number; outcome: PageOutcome; processedOn?: number; finishedOn?: number }[] = [];
    for (let start = 0; ; start += 1000) {
      const batch = (await queue.getJobs(['completed', 'failed'], start, start + 999, true)).filter(Boolean) as PageJob[];
      for (const job of batch) {
        const outcome = job.returnvalue ?? job.data.outcome ?? failedOutcome(job);
        finished.push({ index: job.data.index, outcome, ...(job.processedOn ? { processedOn: job.processedOn } : {}), ...(job.finishedOn ? { finishedOn: job.finishedOn } : {}) });
      }
      if (batch.length < 1000) break;
    }
    finished.sort((a, b) => a.index - b.index);
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const notProcessed = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const pages: PageResult[] = finished.map((entry) => entry.outcome.page);
    const first = finished.find((entry) => entry.outcome.page.status === 'ok')?.outcome ?? finished[0]?.outcome;
    const times = (pick: (entry: (typeof finished)[number]) => number | undefined) => finished.map(pick).filter((t): t is number => t !== undefined);
    const started = times((entry) => entry.processedOn);
    const ended = times((entry) => entry.finishedOn);
    return {
      schemaVersion: 1,
      tool: { name: 'clearcopy', version: VERSION },
      standard: first?.standard ?? 'WCAG2AA',
      runners: first?.runners ?? ['clearcopy'],
      startedAt: new Date(started.length ? Math.min(...started) : Date.now()).toISOString(),
      finishedAt: new Date(ended.length ? Math.max(...ended) : Date.now()).toISOString(),
      pages,
      totals: totalsOf(pages),
      ...(notProcessed > 0 ? { interrupted: { reason: 'the queue is not finished', notProcessed } } : {}),
    };
  } finally {
    await queue.close();
  }
}

/** A failed job without a kept result (it failed before the page was run: no browser, a lost lock). */
function failedOutcome(job: PageJob): PageOutcome {
  const reason = job.failedReason ?? 'failed';
  const page: PageResult = {
    name: job.data.name,
    input: job.data.label,
    status: 'failed',
    audited: false,
    findings: [],
    counts: { error: 0, warning: 0, notice: 0 },
    bySource: {},
    durationMs: 0,
    error: { code: 'INTERNAL', message: reason.startsWith(job.data.label) ? reason : `${job.data.label}: ${reason}` },
  };
  return { page, standard: 'WCAG2AA', runners: ['clearcopy'] };
}
