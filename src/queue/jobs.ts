// What a queue job carries, and how `queue add` puts page sources on the queue: one job per page,
// its output name and place in the report settled when it is added, its id from what it is (the
// page and the options), so adding the same inputs again adds nothing twice.
import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { accessibilityTreeCheck } from '../audit/ax-tree.js';
import type { PageCheck } from '../audit/auditor.js';
import { ClearcopyError } from '../errors.js';
import type { ExtractOptions } from '../extract/index.js';
import { absoluteRef, labelOfRef } from '../load/ref.js';
import type { FetchOptions } from '../load/remote.js';
import type { PageSource, SourceRef } from '../load/source.js';
import type { PageResult } from '../model/run-result.js';
import { safeName } from '../output.js';
import type { AuditSettings } from '../run/audit.js';
import type { RenderOptions, RenderStageOptions } from '../run/render.js';

/** The queue's keys live under this prefix (BullMQ's and clearcopy's own). */
export const QUEUE_PREFIX = 'clearcopy';
/** The queue used when none is named. */
export const DEFAULT_QUEUE = 'pages';
/** Tries per page before its job is failed, and the first wait between them (doubling each time). */
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 5_000;

/** Page checks a job can name (a function cannot cross to another process; its name can). */
export const PAGE_CHECKS: Readonly<Record<string, PageCheck>> = { 'accessibility-tree': accessibilityTreeCheck };

/**
 * A run's options as a job carries them: plain JSON, and only what decides a page's copy and
 * findings. What belongs to the machine (output folder, cache, threads, tabs, browser) is the
 * worker's own.
 */
export interface QueuedOptions {
  load?: FetchOptions;
  extract?: ExtractOptions;
  render?: RenderStageOptions;
  audit?: (Omit<AuditSettings, 'pageChecks' | 'concurrency' | 'browserPath'> & { compareOriginal?: boolean; pageChecks?: string[] }) | false;
  workers?: { timeoutMs?: number };
}

/** What each job holds. */
export interface PageJobData {
  /** Place in the queue's report (add order, from 1). */
  index: number;
  /** The output name, unique over the whole queue. */
  name: string;
  /** The input as the user named it. */
  label: string;
  ref: SourceRef;
  /** The folder `queue add` ran in: relative paths in `ref` are read from there. */
  cwd: string;
  options: QueuedOptions;
  /** A failed page's result, kept with its job. */
  outcome?: PageOutcome;
}

/** A finished page: its result and what its run checked (the job's return value). */
export interface PageOutcome {
  page: PageResult;
  standard: string;
  runners: string[];
}

/** The queue's own keys beside BullMQ's. */
export function queueKeys(queue: string): { names: string; ids: string; counter: string } {
  const base = `${QUEUE_PREFIX}:${queue}:clearcopy`;
  return { names: `${base}:names`, ids: `${base}:ids`, counter: `${base}:index` };
}

/**
 * A run's render options as a job can carry them; a usage error for what cannot cross to another
 * process (an unnamed function, anything JSON would change).
 */
export function queuedOptions(options: RenderOptions): QueuedOptions {
  const queued: QueuedOptions = {};
  if (options.load) queued.load = options.load;
  if (options.extract) queued.extract = options.extract;
  if (options.render) queued.render = options.render;
  if (options.workers?.timeoutMs !== undefined) queued.workers = { timeoutMs: options.workers.timeoutMs };
  if (options.audit === false) queued.audit = false;
  else if (options.audit) {
    const { pageChecks, concurrency: _concurrency, browserPath: _browserPath, onEvent: _onEvent, ...rest } = options.audit as AuditSettings & { compareOriginal?: boolean; onEvent?: unknown };
    const names = (pageChecks ?? []).map((check) => {
      const name = Object.entries(PAGE_CHECKS).find(([, known]) => known === check)?.[0];
      if (!name) throw new ClearcopyError('USAGE', `clearcopy queue: the page check ${check.name || '(anonymous)'} cannot be queued (known checks: ${Object.keys(PAGE_CHECKS).join(', ')})`);
      return name;
    });
    queued.audit = { ...rest, ...(names.length ? { pageChecks: names } : {}) };
  }
  const odd = notPlain(queued, 'options');
  if (odd) throw new ClearcopyError('USAGE', `clearcopy queue: ${odd} cannot be queued (only plain values cross to a worker)`);
  return JSON.parse(JSON.stringify(queued)) as QueuedOptions;
}

/** Where `value` holds something JSON would lose or change (a function, a Set, a Date, NaN…), or undefined. */
function notPlain(value: unknown, at: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : at;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const odd = item === undefined ? `${at}[${i}]` : notPlain(item, `${at}[${i}]`);
      if (odd) return odd;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const odd = item === undefined ? undefined : notPlain(item, `${at}.${key}`);
      if (odd) return odd;
    }
    return undefined;
  }
  return at;
}

/** A job's options back as render options, with the worker's own machine settings. */
export function renderOptionsOf(queued: QueuedOptions, machine: Pick<RenderOptions, 'output' | 'cache'> & { threads?: number; tabs?: number; browserPath?: string }): RenderOptions {
  const options: RenderOptions = {
    ...(queued.load ? { load: queued.load } : {}),
    ...(queued.extract ? { extract: queued.extract } : {}),
    ...(queued.render ? { render: queued.render } : {}),
    output: machine.output ?? {},
    cache: machine.cache ?? {},
    workers: { ...(machine.threads !== undefined ? { threads: machine.threads } : {}), ...(queued.workers?.timeoutMs !== undefined ? { timeoutMs: queued.workers.timeoutMs } : {}) },
  };
  if (queued.audit === false) options.audit = false;
  else {
    const { pageChecks, ...rest } = queued.audit ?? {};
    options.audit = {
      ...rest,
      ...(pageChecks?.length ? { pageChecks: pageChecks.map((name) => PAGE_CHECKS[name] ?? unknownCheck(name)) } : {}),
      ...(machine.tabs !== undefined ? { concurrency: machine.tabs } : {}),
      ...(machine.browserPath ? { browserPath: machine.browserPath } : {}),
    };
  }
  return options;
}

function unknownCheck(name: string): never {
  throw new ClearcopyError('USAGE', `clearcopy worker: a job names the page check "${name}", which this clearcopy does not have (update the worker)`);
}

/** A job's id: the page (its absolute whereabouts) and the options, hashed. */
export function jobIdOf(ref: SourceRef, cwd: string, options: QueuedOptions): string {
  return `p${createHash('sha256').update(canonicalJson({ ref: absoluteRef(ref, cwd), options })).digest('hex').slice(0, 40)}`;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

// Settles a new job's name and index at once: the first free `name`, `name-2`… (case-insensitive,
// over the whole queue) and the next index; a job already added gets what it got then.
const SETTLE = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return {0, known} end
local name, lower, i = ARGV[2], ARGV[3], 2
while redis.call('HEXISTS', KEYS[1], lower) == 1 do
  name = ARGV[2] .. '-' .. i
  lower = ARGV[3] .. '-' .. i
  i = i + 1
end
redis.call('HSET', KEYS[1], lower, ARGV[1])
local index = redis.call('INCR', KEYS[3])
local settled = cjson.encode({name = name, index = index})
redis.call('HSET', KEYS[2], ARGV[1], settled)
return {1, settled}
`;

/** Options for {@link addSources}. */
export interface AddOptions {
  connection: ConnectionOptions;
  /** A plain client on the same Redis (for the names and indexes). */
  client: Redis;
  queue?: string;
  options: QueuedOptions;
  attempts?: number;
  backoffMs?: number;
  /** Where relative paths in the sources are read from (default: the current folder). */
  cwd?: string;
}

/** What {@link addSources} did: jobs added, and sources that were on the queue already. */
export interface AddResult {
  added: number;
  already: number;
}

/**
 * Puts one job per source on the queue, in order. Every source needs a `ref` (standard input has
 * none: a usage error, before anything is added).
 */
export async function addSources(sources: readonly PageSource[], options: AddOptions): Promise<AddResult> {
  const unqueueable = sources.find((source) => !source.ref);
  if (unqueueable) {
    throw new ClearcopyError('USAGE', `clearcopy queue add: ${unqueueable.label === '-' ? 'standard input (-)' : unqueueable.label} cannot be queued: a worker elsewhere could not read it (save it to a file on the shared volume first)`);
  }
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const keys = queueKeys(queueName);
  const cwd = options.cwd ?? process.cwd();
  const queue = new Queue<PageJobData, PageOutcome>(queueName, { connection: options.connection, prefix: QUEUE_PREFIX });
  const result: AddResult = { added: 0, already: 0 };
  try {
    const BATCH = 500;
    for (let start = 0; start < sources.length; start += BATCH) {
      const batch = sources.slice(start, start + BATCH);
      const pipeline = options.client.pipeline();
      const ids = batch.map((source) => jobIdOf(source.ref!, cwd, options.options));
      batch.forEach((source, i) => {
        const base = safeName(source.rawName);
        pipeline.eval(SETTLE, 3, keys.names, keys.ids, keys.counter, ids[i]!, base, base.toLowerCase());
      });
      const replies = (await pipeline.exec()) ?? [];
      const jobs = [];
      for (const [i, source] of batch.entries()) {
        const [error, reply] = replies[i] ?? [new Error('no reply')];
        if (error) throw error;
        const [isNew, settled] = reply as [number, string];
        const { name, index } = JSON.parse(settled) as { name: string; index: number };
        // A job settled before is added again (BullMQ keeps one job per id): a crash between the two
        // steps of an earlier add loses nothing.
        if (isNew) result.added++;
        else result.already++;
        jobs.push({
          name: 'page',
          data: { index, name, label: source.label || labelOfRef(source.ref!), ref: source.ref!, cwd, options: options.options },
          opts: {
            jobId: ids[i]!,
            attempts: options.attempts ?? DEFAULT_ATTEMPTS,
            backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULT_BACKOFF_MS },
            // Every page's result is kept until the queue is cleared: the report is made from them.
            removeOnComplete: false,
            removeOnFail: false,
          },
        });
      }
      if (jobs.length) await queue.addBulk(jobs);
    }
  } finally {
    await queue.close();
  }
  return result;
}
