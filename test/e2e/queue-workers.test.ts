// Pages converted by worker processes off a real Redis queue (the real CLI, a real redis-server):
// a worker killed mid-run loses nothing and leaves nothing half-written, a Redis restart loses no
// page, a bad input fails alone with its reason, and the queue's report equals a single render run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT, runCli, SAMPLES, SHARED } from '../helpers.js';
import { freePort, REDIS_SERVER, startRedis, type TestRedis } from '../support/redis.js';

const CORPUS_PAGES = ['aclu', 'ars-1', 'bbc-1', 'blogger', 'breitbart', 'cnet', 'guardian-1', 'wikipedia'];
/** 8 corpus pages when the shared corpus is there (else the 4 samples), and the 2 pages of a WARC. */
const PAGES = [
  ...(SHARED
    ? CORPUS_PAGES.map((name) => path.relative(ROOT, path.join(SHARED!, 'corpus', 'readability-pages', name, 'source.html')))
    : readdirSync(SAMPLES).filter((file) => file.endsWith('.html')).sort().map((file) => path.relative(ROOT, path.join(SAMPLES, file)))),
  path.relative(ROOT, path.join(FIXTURES, 'warc', 'sample.warc.gz')),
];
const PAGE_COUNT = PAGES.length - 1 + 2;

interface Status {
  waiting: number;
  active: number;
  done: number;
  failed: number;
  delayed: number;
  total: number;
  failures: { name: string; input: string; reason: string }[];
}

/** A worker process of the real CLI. */
function startWorker(args: string[]): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'worker', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, log: () => log, exited };
}

/**
 * SIGKILLs a process and everything under it, as a lost machine would: puppeteer starts Chromium in
 * a process group of its own, so killing the worker's group alone would leave the browser running.
 */
function killTree(root: number): void {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const tree: number[] = [];
  for (const stack = [root]; stack.length;) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function status(url: string, queue: string): Promise<Status> {
  const result = await runCli(['queue', 'status', '--json', '--redis', url, '--queue', queue]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Status;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** What must be equal between two runs: each page's name, input, status, failure, counts and findings per rule. */
function comparable(file: string) {
  const run = JSON.parse(readFileSync(file, 'utf8')) as { totals: unknown; standard: string; runners: string[]; pages: { name: string; input: string; status: string; error?: unknown; counts: unknown; audited: boolean; findings: { code: string; runner?: string; type?: string; selector?: string }[] }[] };
  return {
    standard: run.standard,
    runners: run.runners,
    totals: run.totals,
    pages: run.pages.map((page) => {
      const perRule: Record<string, number> = {};
      for (const finding of page.findings) {
        const key = `${finding.runner ?? ''} ${finding.type ?? ''} ${finding.code}`;
        perRule[key] = (perRule[key] ?? 0) + 1;
      }
      return { name: page.name, input: page.input, status: page.status, error: page.error, audited: page.audited, counts: page.counts, perRule, selectors: page.findings.map((f) => `${f.code} ${f.selector ?? ''}`).sort() };
    }),
  };
}

function tempFilesIn(...dirs: string[]): string[] {
  return dirs.flatMap((dir) => { try { return readdirSync(dir).filter((entry) => entry.endsWith('.tmp')); } catch { return []; } });
}

describe.skipIf(!REDIS_SERVER)('a queue on Redis, converted by worker processes', () => {
  let redis: TestRedis;
  let work: string;
  let bad: string;
  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
    work = mkdtempSync(path.join(os.tmpdir(), 'cc-queue-'));
    bad = path.join(work, 'broken.html');
    writeFileSync(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two workers, one killed mid-run: every page done once, nothing half-written, the report equals a render run, the bad input fails alone', async () => {
    const out = path.join(work, 'out');
    const reports = path.join(work, 'reports');
    const inputs = [...PAGES, bad];
    const added = await runCli(['queue', 'add', ...inputs, '--redis', redis.url, '--queue', 'kill', '--backoff', '500']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`${PAGE_COUNT + 1} pages added to the queue kill`);
    // Adding the same inputs again adds nothing twice.
    const again = await runCli(['queue', 'add', ...inputs, '--redis', redis.url, '--queue', 'kill', '--backoff', '500']);
    expect(again.stdout).toContain(`0 pages added to the queue kill at ${redis.url} (${PAGE_COUNT + 1} already there)`);
    expect((await status(redis.url, 'kill')).total).toBe(PAGE_COUNT + 1);

    const workerArgs = ['--redis', redis.url, '--queue', 'kill', '-o', out, '--reports', reports, '--no-cache', '--concurrency', '2', '--lock-duration', '3000', '--until-empty'];
    const doomed = startWorker(workerArgs);
    const steady = startWorker(workerArgs);
    // Kill one worker (and its browser) once it has finished a page and holds others.
    await until(async () => /✓/.test(doomed.log()), 'the first worker to finish a page');
    killTree(doomed.child.pid!);
    await doomed.exited;
    // A replacement starts, as an orchestrator would restart it.
    const replacement = startWorker(workerArgs);
    expect(await steady.exited, steady.log()).toBe(0);
    expect(await replacement.exited, replacement.log()).toBe(0);

    const final = await status(redis.url, 'kill');
    expect(final).toMatchObject({ waiting: 0, active: 0, delayed: 0, done: PAGE_COUNT, failed: 1, total: PAGE_COUNT + 1 });
    expect(final.failures).toHaveLength(1);
    expect(final.failures[0]!.reason).toBe(`${bad}: this is binary data, not an HTML page`);

    // The killed worker's pages were taken back (stalled) and done once: one completed job per page.
    const queue = new Queue('kill', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'clearcopy' });
    try {
      const jobs = await queue.getJobs(['completed', 'failed'], 0, -1, true);
      const stalled = jobs.filter((job) => (job as unknown as { stalledCounter?: number }).stalledCounter);
      expect(stalled.length, 'a job the killed worker held came back').toBeGreaterThan(0);
      const names = jobs.map((job) => (job.data as { name: string }).name);
      expect(new Set(names).size).toBe(PAGE_COUNT + 1);
    } finally {
      await queue.close();
    }
    expect(tempFilesIn(out, reports)).toEqual([]);
    const copies = readdirSync(out).filter((file) => file.endsWith('.html'));
    expect(copies).toHaveLength(PAGE_COUNT);

    const queueReport = await runCli(['queue', 'report', '--redis', redis.url, '--queue', 'kill', '-o', out, '--reports', path.join(work, 'queue-reports'), '--reporter', `json=${path.join(work, 'queue.json')}`]);
    expect(queueReport.code, queueReport.stderr).toBe(1); // the bad input fails the gate, as in a render run
    expect(queueReport.stdout).toContain(`${PAGE_COUNT + 1} pages, 1 failed.`);
    expect(readdirSync(path.join(work, 'queue-reports')).filter((file) => file.endsWith('.json'))).toHaveLength(PAGE_COUNT + 1);
    const render = await runCli(['render', ...inputs, '--no-cache', '-o', path.join(work, 'render-out'), '--reports', path.join(work, 'render-reports'), '--reporter', `json=${path.join(work, 'render.json')}`, '-q']);
    expect(render.code, render.stderr).toBe(1);
    const fromQueue = comparable(path.join(work, 'queue.json'));
    const fromRender = comparable(path.join(work, 'render.json'));
    expect(fromQueue.pages.map((page) => page.name)).toEqual(fromRender.pages.map((page) => page.name));
    expect(fromQueue).toEqual(fromRender);
    expect(fromQueue.pages.filter((page) => page.audited)).toHaveLength(PAGE_COUNT);
    // The workers' folder is indexed as a render run's is: the same index, the bad input listed as not copied.
    expect(queueReport.stdout).toMatch(new RegExp(`index of the copies: .*index\\.html \\(${PAGE_COUNT} copies, 1 pages not copied`));
    expect(readFileSync(path.join(out, 'index.txt'), 'utf8')).toBe(readFileSync(path.join(work, 'render-out', 'index.txt'), 'utf8'));
  }, 900_000);

  it('Redis stopped and restarted mid-run (append-only file on): no page lost', async () => {
    const out = path.join(work, 'restart-out');
    const reports = path.join(work, 'restart-reports');
    const inputs = readdirSync(SAMPLES).filter((file) => file.endsWith('.html')).map((file) => path.join(SAMPLES, file));
    const added = await runCli(['queue', 'add', ...inputs, '--redis', redis.url, '--queue', 'restart']);
    expect(added.code, added.stderr).toBe(0);
    const worker = startWorker(['--redis', redis.url, '--queue', 'restart', '-o', out, '--reports', reports, '--no-cache', '--concurrency', '1', '--until-empty']);
    await until(async () => /✓/.test(worker.log()), 'a first page');
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await redis.start();
    expect(await worker.exited, worker.log()).toBe(0);
    // Told once (per reason), not once per reconnection attempt and connection, and no stack traces.
    expect(worker.log()).not.toMatch(/^\s+at /m);
    const told = (worker.log().match(/Redis is not answering/g) ?? []).length;
    expect(told, 'the worker saw Redis go away').toBeGreaterThanOrEqual(1);
    expect(told).toBeLessThanOrEqual(3);
    const final = await status(redis.url, 'restart');
    expect(final).toMatchObject({ waiting: 0, active: 0, done: inputs.length, failed: 0 });
    const report = await runCli(['queue', 'report', '--redis', redis.url, '--queue', 'restart', '-o', out, '--reports', path.join(work, 'restart-report')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`${inputs.length} pages.`);
  }, 600_000);

  it('SIGTERM finishes the page in hand and leaves the rest queued (exit 143)', async () => {
    const inputs = readdirSync(SAMPLES).filter((file) => file.endsWith('.html')).map((file) => path.join(SAMPLES, file));
    expect((await runCli(['queue', 'add', ...inputs, '--redis', redis.url, '--queue', 'term'])).code).toBe(0);
    const worker = startWorker(['--redis', redis.url, '--queue', 'term', '-o', path.join(work, 'term-out'), '--reports', path.join(work, 'term-reports'), '--no-cache', '--concurrency', '1']);
    await until(async () => /✓/.test(worker.log()), 'a first page');
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.log()).toBe(143);
    const after = await status(redis.url, 'term');
    expect(after.active).toBe(0);
    expect(after.failed).toBe(0);
    expect(after.done).toBeGreaterThanOrEqual(1);
    expect(after.waiting).toBeGreaterThanOrEqual(1);
    expect(after.done + after.waiting).toBe(inputs.length);
    // A report of an unfinished queue says so and cannot pass.
    const report = await runCli(['queue', 'report', '--redis', redis.url, '--queue', 'term', '--reports', path.join(work, 'term-report')]);
    expect(report.code).toBe(1);
    expect(report.stdout).toContain(`the queue is not finished: ${after.waiting} pages still waiting or in progress`);
  }, 300_000);

  it('a passing failure (a thread over its time) is tried again with backoff, then kept failed with its reason', async () => {
    const page = path.join(SAMPLES, 'huffpost-india-kerry.html');
    const added = await runCli(['queue', 'add', page, '--redis', redis.url, '--queue', 'retry', '--no-audit', '--extract-timeout', '1', '--attempts', '3', '--backoff', '200']);
    expect(added.code, added.stderr).toBe(0);
    const worker = startWorker(['--redis', redis.url, '--queue', 'retry', '-o', path.join(work, 'retry-out'), '--reports', path.join(work, 'retry-reports'), '--no-cache', '--until-empty']);
    expect(await worker.exited, worker.log()).toBe(0);
    expect(worker.log()).toContain('(try 1; will retry)');
    expect(worker.log()).toContain('(try 2; will retry)');
    const after = await status(redis.url, 'retry');
    expect(after).toMatchObject({ done: 0, failed: 1, waiting: 0, delayed: 0 });
    expect(after.failures[0]).toMatchObject({ attempts: 3, reason: `${page}: extraction took longer than 1 ms (limit: --extract-timeout)` });
  }, 300_000);

  it('standard input cannot be queued: a usage error, nothing added', async () => {
    const result = await runCli(['queue', 'add', '-', SAMPLES, '--redis', redis.url, '--queue', 'stdin'], { input: '<p>hi</p>' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('clearcopy queue add: standard input (-) cannot be queued: a worker elsewhere could not read it (save it to a file on the shared volume first)');
    expect((await status(redis.url, 'stdin')).total).toBe(0);
  });
});

describe.skipIf(!REDIS_SERVER)('a Redis that cannot be used: one line, exit 2, no hang', () => {
  it('nothing listening, a wrong password, no address at all', async () => {
    const port = await freePort();
    for (const command of [['queue', 'status'], ['queue', 'add', SAMPLES], ['worker', '-o', 'out']]) {
      const started = Date.now();
      const result = await runCli([...command, '--redis', `redis://127.0.0.1:${port}`]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`clearcopy: Redis at redis://127.0.0.1:${port} cannot be reached: connection refused (is redis-server running there?)`);
      expect(Date.now() - started).toBeLessThan(60_000); // not a hang (BullMQ alone would retry forever)
    }
    const guarded = await startRedis({ password: 's3cret' });
    try {
      const wrong = guarded.url.replace('s3cret', 'wrong');
      const result = await runCli(['queue', 'status', '--redis', wrong]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^clearcopy: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? refused the credentials/);
      expect(result.stderr).not.toContain('wrong');
      // The right one works, from the environment as well.
      const fromEnv = await runCli(['queue', 'status'], { env: { CLEARCOPY_REDIS_URL: guarded.url } });
      expect(fromEnv.code, fromEnv.stderr).toBe(0);
      expect(fromEnv.stdout).toContain('queue pages: 0 pages');
    } finally {
      await guarded.stop();
    }
    const none = await runCli(['queue', 'status'], { env: { CLEARCOPY_REDIS_URL: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('clearcopy queue status: give the queue\'s Redis with --redis redis://host:port (or set CLEARCOPY_REDIS_URL)');
  }, 180_000);
});


describe('queue and worker usage', () => {
  it('misuse is one line and exit 2, before any Redis is asked', async () => {
    const cases: [string[], string][] = [
      [['queue'], 'clearcopy queue: give an action (add, status, report)'],
      [['queue', 'frob'], 'clearcopy queue: unknown action "frob" (add, status, report)'],
      [['queue', 'add'], 'clearcopy queue add: give at least one HTML file, folder, glob, archive or http(s) URL'],
      [['queue', 'status', 'samples'], 'clearcopy queue status: takes no inputs (got "samples")'],
      [['worker', 'samples'], 'clearcopy worker: takes no inputs (got "samples"; add them with clearcopy queue add)'],
      [['worker', '--redis', 'http://example.org'], 'clearcopy: --redis http://example.org/: only redis:// and rediss:// addresses are supported'],
      [['queue', 'status', '--redis', 'redis://127.0.0.1:1', '--queue', 'a b'], 'clearcopy: --queue needs a name of letters, digits, ".", "_" or "-", not "a b"'],
    ];
    for (const [args, line] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim(), args.join(' ')).toBe(line);
    }
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('clearcopy queue add <inputs…> --redis URL');
    expect(help.stdout).toContain('--lock-duration MS');
  });
});
