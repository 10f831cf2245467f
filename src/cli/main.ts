import { existsSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { AuditorOptions } from '../audit/auditor.js';
import type { PageSource } from '../load/source.js';
import type { LoadOptions } from '../load/file.js';
import type { SourceListing } from '../load/sources.js';
import type { AuditSettings, LiveAuditSettings, PageAuditRule } from '../run/audit.js';
import type { RunControl } from '../run/engine.js';
import type { EpubOutcome } from '../run/epub.js';
import type { RenderOptions } from '../run/render.js';
import { findConfig, loadConfig, type Config } from '../config/index.js';
import { DEFAULT_STANDARD } from '../defaults.js';
import { ClearcopyError, describeError } from '../errors.js';
import { EXIT, exitCodeFor, gateVerdict, type ExitCode, type FailOn } from '../gate/exit-code.js';
import type { RunResult } from '../model/run-result.js';
import { removePendingTemps, writeFileAtomic } from '../output.js';
import { baselineOf, parseBaseline } from '../gate/baseline.js';
import { applyGate, type GatePolicy, type PageRule } from '../gate/gate.js';
import { comparison, htmlReporter } from '../report/html.js';
import { REPORTERS } from '../report/index.js';
import { pageJsonReport } from '../report/json.js';
import { mergeRuns, runFromReport } from '../gate/merge.js';
import { VERSION } from '../version.js';
import { HELP, parseCliArgs, type CliArgs, type ReporterSpec } from './args.js';

// The browser, jsdom and the renderer load only for the commands that need them, so `check`,
// `merge-reports` and usage errors start fast.
const rendering = () => import('../run/render.js');
const auditing = () => import('../run/audit.js');

type Out = NodeJS.WritableStream & { isTTY?: boolean };
type IO = { out: Out; err: Out };

/** Runs the CLI; returns the exit code. Only this layer prints or writes reports. */
export async function main(argv: string[], io: IO = { out: process.stdout, err: process.stderr }): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    io.err.write(`${describeError(error)}\n`);
    return exitCodeFor({ fatal: { code: 'USAGE', message: describeError(error) } });
  }
  if (args.command === 'help') {
    io.out.write(`${HELP}\n`);
    return EXIT.PASS;
  }
  if (args.command === 'version') {
    io.out.write(`${VERSION}\n`);
    return EXIT.PASS;
  }
  try {
    switch (args.command) {
      case 'text': return await textCommand(args, io);
      case 'render': return await renderCommand(args, io);
      case 'audit': return await auditCommand(args, io);
      case 'check':
      case 'merge-reports': return await checkCommand(args, io);
      case 'queue': return await queueCommand(args, io);
      case 'worker': return await workerCommand(args, io);
    }
  } catch (error) {
    const message = error instanceof ClearcopyError ? error.message : `clearcopy: unexpected error: ${describeError(error)}`;
    io.err.write(`${message}\n`);
    return exitCodeFor({ fatal: { code: error instanceof ClearcopyError ? error.code : 'INTERNAL', message } });
  }
}

async function textCommand(args: CliArgs, io: IO): Promise<number> {
  const [{ loadTemplates }, { sourcesFromInputs }, { extractPage }, { renderText }, { renderSsml }] = await Promise.all([
    import('../render/templates.js'), import('../load/sources.js'), import('../extract/page.js'), import('../render/text.js'), import('../render/ssml.js'),
  ]);
  const templates = loadTemplates(args.templates);
  // The config file's settings that apply to a text copy: its words' language and the input limits.
  const settings = await settingsFor(args);
  if (settings.uiLang) (await import('../i18n/localizer.js')).requireCatalog(templates.catalogs, settings.uiLang);
  const uiLang = settings.uiLang ? { uiLang: settings.uiLang } : {};
  const load = settings.maxBytes ? { maxBytes: settings.maxBytes } : {};
  // One input may hold several pages (a WARC): each is printed, separated by a form feed.
  const { sources } = await sourcesFromInputs(args.inputs, load);
  let failed = false;
  for (const [index, source] of sources.entries()) {
    try {
      // The same load and extraction as render's (element limit, deep nesting flattened).
      const doc = extractPage(await source.load(load), args.maxElements !== undefined ? { maxElements: args.maxElements } : {}, source.label);
      if (index > 0) io.out.write('\f\n');
      io.out.write(args.format === 'ssml' ? renderSsml(doc, { ...uiLang, catalogs: templates.catalogs }) : renderText(doc, templates, { width: args.textWidth, links: args.links, ...uiLang }));
    } catch (error) {
      if (!(error instanceof ClearcopyError)) throw error;
      io.err.write(`${error.message}\n`);
      failed = true;
    }
  }
  return failed ? EXIT.GATE_FAILED : EXIT.PASS;
}

/** Command-line flags over the config file over the defaults (left undefined where a command has its own). */
interface Settings {
  config?: Config;
  standard: NonNullable<AuditorOptions['standard']>;
  auditor: AuditorOptions;
  maxBytes?: number;
  /** The language of clearcopy's own words in the copies (--ui-lang, or `uiLang` in the config). */
  uiLang?: string;
  failOn?: FailOn;
  threshold?: number;
  ignore?: string[];
  pages?: (PageRule & Omit<PageAuditRule, 'match'>)[];
  baseline?: string;
  reporters?: ReporterSpec[];
}

async function settingsFor(args: CliArgs): Promise<Settings> {
  const configFile = args.config === false ? undefined : args.config ? path.resolve(args.config) : findConfig();
  const config = configFile ? await loadConfig(configFile) : undefined;
  const pick = <T>(flag: T | undefined, fromConfig: T | undefined) => (flag !== undefined ? flag : fromConfig);
  const auditor: AuditorOptions = { standard: pick(args.standard, config?.standard) ?? DEFAULT_STANDARD };
  const set = <K extends keyof AuditorOptions>(key: K, value: AuditorOptions[K] | undefined) => { if (value !== undefined) auditor[key] = value; };
  set('runners', config?.runners);
  set('timeoutMs', pick(args.timeoutMs, config?.timeout));
  set('levelCapWhenNeedsReview', pick(args.levelCapWhenNeedsReview, config?.levelCapWhenNeedsReview));
  set('concurrency', pick(args.concurrency, config?.concurrency));
  set('browserPath', pick(args.chrome, config?.chrome));
  set('rootElement', pick(args.rootElement, config?.rootElement));
  set('hideElements', pick(args.hideElements, config?.hideElements));
  const settings: Settings = { standard: auditor.standard!, auditor };
  if (config) settings.config = config;
  const assign = <K extends keyof Settings>(key: K, value: Settings[K] | undefined) => { if (value !== undefined) settings[key] = value; };
  assign('maxBytes', pick(args.maxBytes, config?.maxBytes));
  assign('uiLang', pick(args.uiLang, config?.uiLang));
  assign('failOn', pick(args.failOn, config?.failOn));
  assign('threshold', pick(args.threshold, config?.threshold));
  assign('ignore', pick(args.ignore, config?.ignore));
  assign('pages', config?.pages);
  assign('baseline', pick(args.baseline, config?.baseline));
  assign('reporters', pick(args.reporters, config?.reporters));
  if ((settings.reporters ?? []).filter((r) => !r.output).length > 1) {
    throw new ClearcopyError('USAGE', 'clearcopy: only one --reporter can write to stdout; give the others a file (FORMAT=PATH)');
  }
  if (args.updateBaseline && !settings.baseline) throw new ClearcopyError('USAGE', 'clearcopy: --update-baseline needs a file: --baseline FILE (or "baseline" in the config)');
  if (settings.baseline && !args.updateBaseline && !existsSync(settings.baseline)) {
    throw new ClearcopyError('USAGE', `${settings.baseline}: no such baseline file (write it with --update-baseline)`, { file: settings.baseline });
  }
  return settings;
}

/** Applies the gate (ignores, per-page rules, baseline), writing the baseline first with --update-baseline. */
async function judge(run: RunResult, settings: Settings, args: CliArgs, notes: string[]): Promise<RunResult> {
  const failOn = settings.failOn ?? 'error';
  const policy: GatePolicy = { failOn, threshold: settings.threshold ?? 0, ignore: settings.ignore ?? [] };
  if (settings.pages) policy.pages = settings.pages;
  const file = settings.baseline;
  if (!file) return applyGate(run, policy);
  let previous;
  if (existsSync(file)) previous = parseBaseline(readFileSync(file, 'utf8'), file);
  if (args.updateBaseline) {
    const data = baselineOf(applyGate(run, policy), failOn, previous);
    await writeFileAtomic(path.dirname(path.resolve(file)), path.basename(file), `${JSON.stringify(data, null, 2)}\n`);
    notes.push(`baseline written to ${file}: ${data.issues.length} issues accepted`);
    previous = data;
  }
  return applyGate(run, { ...policy, baseline: { file, data: previous! } });
}

/** Writes each reporter's output to its file, or stdout; returns whether stdout got a report. */
async function emit(run: RunResult, reporters: readonly ReporterSpec[], io: IO, notes: string[], args: CliArgs): Promise<boolean> {
  let stdout = false;
  for (const spec of reporters) {
    const reporter = REPORTERS[spec.format]!;
    if (spec.output) {
      const target = path.resolve(spec.output);
      await writeFileAtomic(path.dirname(target), path.basename(target), reporter(run, { reportDir: path.dirname(target) }));
      notes.push(`${spec.format} report: ${spec.output}`);
    } else {
      io.out.write(reporter(run, { color: useColor(io.out), quiet: args.quiet }));
      stdout = true;
    }
  }
  return stdout;
}

/** Colours only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
function useColor(stream: Out): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/** The audit stage's settings for a run: the auditor's options and the config's per-page scopes. */
function auditSettingsOf(settings: Settings): AuditSettings {
  const pages = (settings.pages ?? []).filter((rule) => rule.rootElement || rule.hideElements);
  return { ...settings.auditor, ...(pages.length ? { pages } : {}) };
}

/** `clearcopy audit`'s settings: the auditor's, how pages load (flags over the config), and the per-page rules. */
function liveSettingsOf(settings: Settings, args: CliArgs): LiveAuditSettings {
  const config = settings.config;
  const pick = <T>(flag: T | undefined, fromConfig: T | undefined) => (flag !== undefined ? flag : fromConfig);
  const pages = (settings.pages ?? []).filter((rule) => rule.rootElement || rule.hideElements || rule.actions || rule.wait !== undefined || rule.waitFor);
  const live: LiveAuditSettings = { ...settings.auditor, ...(pages.length ? { pages } : {}) };
  const root = args.root ? path.resolve(args.root) : config?.root;
  if (root) live.root = root;
  const set = <K extends keyof LiveAuditSettings>(key: K, value: LiveAuditSettings[K] | undefined) => { if (value !== undefined) live[key] = value; };
  set('scripts', pick(args.scripts, config?.scripts));
  set('blockHosts', pick(args.blockHosts, config?.blockHosts));
  set('waitFor', pick(args.waitFor, config?.waitFor));
  set('waitMs', pick(args.waitMs, config?.wait));
  set('actions', config?.actions);
  set('viewport', config?.viewport);
  set('headers', config?.headers);
  return live;
}

/**
 * What `render` and `audit` share around the engine: the inputs expanded by the one expander,
 * progress on stderr (a bar, CI lines, or NDJSON with --json; failures always), the first SIGINT or
 * SIGTERM finishing the pages in flight, and the archive records skipped.
 */
async function runCommand(
  args: CliArgs, io: IO, settings: Settings,
  options: { quietLines: boolean; sources?: (load: LoadOptions) => Promise<SourceListing> },
  run: (sources: PageSource[], control: RunControl) => Promise<RunResult>,
): Promise<{ run: RunResult; inputs: number; notes: string[] }> {
  const [{ sourcesFromInputs }, { chooseProgressMode, createProgress }] = await Promise.all([import('../load/sources.js'), import('./progress.js')]);
  // Files, folders, globs, - (stdin), http(s) URLs and archive records alike (and what a command adds).
  const load = settings.maxBytes ? { maxBytes: settings.maxBytes } : {};
  const listing = options.sources ? await options.sources(load) : await sourcesFromInputs(args.inputs, load);
  const skipped = Object.entries(listing.skipped).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind === 'notOk' ? 'non-2xx' : kind === 'nonHtml' ? 'non-HTML' : kind}`);
  const chosen = chooseProgressMode({ json: args.json, quiet: args.quiet, stream: io.err, env: process.env });
  // Without a terminal `audit` keeps stderr for failures only (its report says the rest).
  const mode = options.quietLines && chosen === 'lines' ? 'quiet' : chosen;
  const progress = createProgress({ mode, stream: io.err });
  const interrupt = interruptOnSignals(progress.log);
  let result: RunResult;
  try {
    result = await run(listing.sources, {
      ...(args.shard ? { shard: args.shard } : {}),
      signal: interrupt.signal,
      onProgress: (event) => {
        progress.onProgress(event);
        // Failures are always told, each on a line of its own (the bar and --json carry them already).
        if (event.type === 'page' && event.page.status === 'failed' && (chosen === 'lines' || chosen === 'quiet')) {
          io.err.write(`✗ ${event.page.error?.message ?? event.page.input}\n`);
        }
      },
    });
  } finally {
    progress.finish();
    interrupt.dispose();
  }
  const notes: string[] = [];
  if (skipped.length) notes.push(`archive records skipped: ${skipped.join(', ')}`);
  if (result.shard) notes.push(`shard ${result.shard.index}/${result.shard.total}: ${result.totals.pages} of ${listing.sources.length} inputs (join the shards' JSON reports with clearcopy merge-reports)`);
  return { run: result, inputs: listing.sources.length, notes };
}

/** render's options for each stage, from the flags and the config (without the run's control). */
async function renderOptionsFor(args: CliArgs, settings: Settings): Promise<RenderOptions> {
  const { accessibilityTreeCheck } = await import('../audit/ax-tree.js');
  const audit = auditSettingsOf(settings);
  return {
    load: settings.maxBytes ? { maxBytes: settings.maxBytes } : {},
    extract: args.maxElements !== undefined ? { maxElements: args.maxElements } : {},
    render: { ...(args.templates ? { templatesDir: args.templates } : {}), text: { width: args.textWidth, links: args.links }, images: { mode: args.remoteImages ? 'remote' : 'local' }, ...(settings.uiLang ? { uiLang: settings.uiLang } : {}) },
    // Each copy is audited with the same auditor and page rules as `clearcopy audit`, and also as a
    // screen reader meets it (clearcopy's accessibility-tree check).
    audit: args.audit ? { ...audit, pageChecks: [...(audit.pageChecks ?? []), accessibilityTreeCheck], compareOriginal: args.compareOriginal } : false,
    output: { dir: args.out },
    cache: args.cache ? (args.cacheDir ? { dir: args.cacheDir } : {}) : false,
    workers: { ...(args.workers !== undefined ? { threads: args.workers } : {}), ...(args.extractTimeoutMs !== undefined ? { timeoutMs: args.extractTimeoutMs } : {}) },
  };
}

async function renderCommand(args: CliArgs, io: IO): Promise<number> {
  const settings = await settingsFor(args);
  const [{ renderSources }, options] = await Promise.all([rendering(), renderOptionsFor(args, settings)]);
  let book: EpubOutcome | undefined;
  const { run, notes } = await runCommand(args, io, settings, { quietLines: false }, async (sources, control) => {
    const { epub, ...result } = await renderSources(sources, {
      ...control,
      ...options,
      // The book is written beside its target and renamed into place when the run is over.
      ...(args.epub ? { epub: { file: args.epub, ...(args.title !== undefined ? { title: args.title } : {}) } } : {}),
    });
    book = epub;
    return result;
  });
  if (book && 'interrupted' in book) notes.push(`no book written: the run was interrupted (${book.file} is unchanged)`);
  if (book && 'written' in book) {
    const made = book.written;
    notes.push(`EPUB: ${book.file} (${made.chapters} ${made.chapters === 1 ? 'chapter' : 'chapters'}, ${made.images} images, ${Math.ceil(made.bytes / 1024)} KiB${made.conformsTo ? `; ${made.conformsTo}` : ''})`);
  }
  if (book && 'error' in book) io.err.write(`${book.error.message}\n`);
  if (args.compareOriginal && !args.audit) notes.push('--compare-original needs the audit: ignored with --no-audit');
  const code = await reportRender(run, settings, args, io, notes);
  // A book that could not be made fails the run even when every copy passed.
  return book && 'error' in book ? Math.max(code, EXIT.GATE_FAILED) : code;
}

/** What render does with a finished run (`queue report` too): gate, reports folder, reporters, summary, exit code. */
async function reportRender(run: RunResult, settings: Settings, args: CliArgs, io: IO, notes: string[]): Promise<number> {
  if (run.collection) {
    const links = Object.values(run.collection.linksRewritten).reduce((sum, n) => sum + n, 0);
    notes.push(`index of the copies: ${run.collection.index} (${run.collection.copies} copies, ${run.collection.refused} pages not copied${links ? `; ${links} links between copies` : ''})`);
  }
  const compared = comparison(run);
  const comparedPages = compared?.pages.filter((page) => !page.error).length ?? 0;
  if (compared && comparedPages) {
    notes.push(`before and after (${comparedPages} pages, htmlcs + axe): ${compared.total.before.error} errors in the originals, ${compared.total.after.error} in the copies (see ${args.reports}/index.html)`);
  }
  const judged = await judge(run, settings, args, notes);
  await writeReports(judged, args.reports);
  const stdout = await emit(judged, settings.reporters ?? [], io, notes, args);
  const verdict = gateVerdict(judged);
  const summary = `${summaryLine(judged, args)}${verdict.passed ? '' : ` Gate failed: ${verdict.reasons.join('; ')}.`}`;
  (stdout ? io.err : io.out).write([summary, ...notes.map((n) => `clearcopy: ${n}`)].join('\n') + '\n');
  return judged.interrupted && args.command === 'render' ? signalExitCode(judged.interrupted.reason) : exitCodeFor(judged);
}

/** The Redis address from --redis or CLEARCOPY_REDIS_URL, checked to answer (one line and exit 2 when it does not). */
async function redisFor(args: CliArgs): Promise<{ url: string; shown: string; connection: import('ioredis').RedisOptions }> {
  const { checkRedis, redactRedisUrl, redisOptions, redisUrlFrom, REDIS_URL_ENV } = await import('../queue/connection.js');
  const url = redisUrlFrom(args.redis);
  const command = args.command === 'queue' ? `queue ${args.queueAction}` : args.command;
  if (!url) throw new ClearcopyError('USAGE', `clearcopy ${command}: give the queue's Redis with --redis redis://host:port (or set ${REDIS_URL_ENV})`);
  const connection = redisOptions(url);
  await checkRedis(url);
  return { url, shown: redactRedisUrl(url), connection };
}

async function queueCommand(args: CliArgs, io: IO): Promise<number> {
  const redis = await redisFor(args);
  const queue = args.queueName;
  if (args.queueAction === 'add') {
    const settings = await settingsFor(args);
    const [{ addSources, queuedOptions }, { sourcesFromInputs }, options, { Redis }] = await Promise.all([
      import('../queue/jobs.js'), import('../load/sources.js'), renderOptionsFor(args, settings), import('ioredis'),
    ]);
    const listing = await sourcesFromInputs(args.inputs, settings.maxBytes ? { maxBytes: settings.maxBytes } : {});
    const client = new Redis(redis.connection);
    try {
      const added = await addSources(listing.sources, {
        connection: redis.connection,
        client,
        ...(queue ? { queue } : {}),
        options: queuedOptions(options),
        ...(args.attempts !== undefined ? { attempts: args.attempts } : {}),
        ...(args.backoffMs !== undefined ? { backoffMs: args.backoffMs } : {}),
      });
      io.out.write(`clearcopy: ${added.added} ${added.added === 1 ? 'page' : 'pages'} added to the queue ${queue ?? 'pages'} at ${redis.shown}${added.already ? ` (${added.already} already there)` : ''}\n`);
    } finally {
      client.disconnect();
    }
    return EXIT.PASS;
  }
  const { queueRun, queueStatus } = await import('../queue/status.js');
  if (args.queueAction === 'status') {
    const status = await queueStatus(redis.connection, queue);
    if (args.json) {
      io.out.write(`${JSON.stringify(status, null, 2)}\n`);
      return EXIT.PASS;
    }
    const eta = status.etaSeconds === undefined || status.waiting + status.active + status.delayed === 0 ? '' : `, about ${duration(status.etaSeconds)} left`;
    const lines = [
      `clearcopy: queue ${status.queue}: ${status.total} pages: ${status.done} done, ${status.failed} failed, ${status.active} active, ${status.waiting} waiting, ${status.delayed} waiting to retry`,
      `clearcopy: ${status.pagesPerSecond.toFixed(2)} pages/s over the last 5 minutes${eta}`,
      ...status.failures.map((failure) => `✗ ${failure.reason} (after ${failure.attempts} ${failure.attempts === 1 ? 'try' : 'tries'})`),
    ];
    io.out.write(`${lines.join('\n')}\n`);
    return EXIT.PASS;
  }
  const settings = await settingsFor(args);
  const run = await queueRun(redis.connection, queue);
  const notes = run.interrupted ? [`the queue is not finished: ${run.interrupted.notProcessed} pages still waiting or in progress (this report holds the ${run.totals.pages} finished)`] : [];
  // The workers' output folder (shared): its copies linked to each other and indexed, as at the end of a render run.
  if (args.outGiven && existsSync(args.out)) {
    const { COLLECTION_FILES, finishCollection } = await import('../collection/index.js');
    const collection = await finishCollection(args.out, run.pages, { ...(args.templates ? { templatesDir: args.templates } : {}), ...(settings.uiLang ? { uiLang: settings.uiLang } : {}) });
    run.collection = { index: path.join(args.out, COLLECTION_FILES.html), ...collection };
  } else if (args.outGiven) {
    notes.push(`no output folder ${args.out} here: the copies are not indexed`);
  }
  return reportRender(run, settings, args, io, notes);
}

async function workerCommand(args: CliArgs, io: IO): Promise<number> {
  const redis = await redisFor(args);
  const settings = await settingsFor(args);
  const { runWorker } = await import('../queue/worker.js');
  const interrupt = interruptOnSignals((line) => io.err.write(`${line}\n`), 'finishing the pages in hand; the rest stay queued');
  try {
    const summary = await runWorker({
      connection: redis.connection,
      ...(args.queueName ? { queue: args.queueName } : {}),
      outDir: args.out,
      reportsDir: args.reports,
      ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
      ...(args.lockDurationMs !== undefined ? { lockDurationMs: args.lockDurationMs } : {}),
      cache: args.cache ? (args.cacheDir ? { dir: args.cacheDir } : {}) : false,
      ...(args.workers !== undefined ? { threads: args.workers } : {}),
      ...(settings.auditor.browserPath ? { browserPath: settings.auditor.browserPath } : {}),
      untilEmpty: args.untilEmpty,
      signal: interrupt.signal,
      onEvent: (event) => {
        if (event.type === 'ready') io.err.write(`clearcopy: worker on queue ${event.queue} at ${redis.shown}, ${event.concurrency} pages at once${event.removedTemps ? ` (removed ${event.removedTemps} unfinished temporary files)` : ''}\n`);
        else if (event.type === 'page' && event.page.status === 'failed') io.err.write(`✗ ${event.page.error?.message ?? event.page.input}${event.final ? '' : ` (try ${event.attempt}; will retry)`}\n`);
        else if (event.type === 'page' && !args.quiet) io.err.write(`✓ ${event.page.name} (${event.page.input})\n`);
        else if (event.type === 'error') io.err.write(`clearcopy: worker: ${event.message}\n`);
        else if (event.type === 'stopping') io.err.write(`clearcopy: worker stopping: ${event.reason}\n`);
      },
    });
    io.out.write(`clearcopy: worker done: ${summary.done} pages converted, ${summary.failed} failed\n`);
    return summary.stoppedBy === 'signal' ? signalExitCode(String(interrupt.signal.reason)) : EXIT.PASS;
  } finally {
    interrupt.dispose();
  }
}

/** Seconds as "2 h 05 min", "4 min 10 s" or "12 s". */
function duration(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')} min`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.round(seconds)} s`;
}

/**
 * The first SIGINT or SIGTERM stops the run gently: no new page starts, the pages in flight finish
 * (each written atomically) and the reports of what finished are written. A second one exits at
 * once, removing the temporary files of writes in progress, so no partial file is left either way.
 */
function interruptOnSignals(log: (line: string) => void, doing = 'finishing the pages in progress, then writing the reports'): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      removePendingTemps();
      process.exit(signalExitCode(name));
    }
    log(`clearcopy: ${name}: ${doing} (again to stop now)`);
    controller.abort(name);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const name of signals) process.on(name, onSignal);
  return { signal: controller.signal, dispose: () => { for (const name of signals) process.off(name, onSignal); } };
}

/** 128 + the signal's number, as shells report a process a signal stopped (130 for SIGINT, 143 for SIGTERM). */
function signalExitCode(reason: string): number {
  const number = (osConstants.signals as Record<string, number>)[reason];
  return number ? 128 + number : EXIT.GATE_FAILED;
}

async function auditCommand(args: CliArgs, io: IO): Promise<number> {
  const settings = await settingsFor(args);
  const config = settings.config;
  const [{ auditSources, auditSourcesFrom }, { sandboxOff, SANDBOX_OFF_NOTE }] = await Promise.all([auditing(), import('../audit/browser.js')]);
  // An option of the config file that clearcopy does not take is said, never silently dropped.
  const shownConfig = config ? path.relative(process.cwd(), config.file) || config.file : '';
  for (const entry of config?.unsupported ?? []) io.err.write(`clearcopy: ${shownConfig}: not supported, left out: ${entry}\n`);
  const pick = <T>(flag: T | undefined, fromConfig: T | undefined) => (flag !== undefined ? flag : fromConfig);
  const find = pick(args.sitemapFind, config?.sitemapFind);
  const replace = pick(args.sitemapReplace, config?.sitemapReplace);
  const exclude = pick(args.sitemapExclude, config?.sitemapExclude);
  const sitemap = args.sitemap ?? config?.sitemap;
  const sitemapOptions = {
    ...(find !== undefined ? { find } : {}),
    ...(replace !== undefined ? { replace } : {}),
    ...(exclude !== undefined ? { exclude } : {}),
    ...(settings.auditor.timeoutMs ? { timeoutMs: settings.auditor.timeoutMs } : {}),
  };
  // The command line's pages, then the config's urls, a URL list and a sitemap: more sources for the same engine.
  const sources = async (load: LoadOptions) => {
    const listing = await auditSourcesFrom({
      inputs: args.inputs,
      ...(config?.urls ? { configUrls: config.urls } : {}),
      ...(args.urls ? { urlList: args.urls } : {}),
      ...(sitemap ? { sitemap, sitemapOptions } : {}),
    }, load);
    if (listing.sources.length === 0) throw new ClearcopyError('USAGE', 'clearcopy audit: no pages to audit (give files, folders, globs, archives or URLs, --urls, --sitemap, or a config with urls)');
    if (sandboxOff()) io.err.write(`clearcopy: ${SANDBOX_OFF_NOTE}\n`);
    return listing;
  };
  const { run, notes } = await runCommand(args, io, settings, { quietLines: true, sources }, (list, control) => auditSources(list, {
    ...control,
    load: settings.maxBytes ? { maxBytes: settings.maxBytes } : {},
    audit: liveSettingsOf(settings, args),
  }));
  const blocked = run.pages.filter((page) => page.blocked?.length);
  if (blocked.length) {
    const listed = blocked.slice(0, 5).map((page) => `${page.input} (${page.blocked!.length})`).join(', ');
    io.err.write(`clearcopy: requests to other hosts blocked on ${blocked.length} page(s), listed as "blocked" in the JSON report: ${listed}${blocked.length > 5 ? ', …' : ''}\n`);
  }
  const code = await finish(run, settings, args, io, [{ format: 'cli' }], notes);
  return run.interrupted ? signalExitCode(run.interrupted.reason) : code;
}

async function checkCommand(args: CliArgs, io: IO): Promise<number> {
  const settings = await settingsFor(args);
  const files: string[] = [];
  for (const input of args.inputs) {
    if (existsSync(input)) files.push(input);
    else if (/[*?[\]{}]/.test(input)) files.push(...(await glob(input, { onlyFiles: true, expandDirectories: false })).sort());
    else throw new ClearcopyError('USAGE', `${input}: no such report`, { file: input });
  }
  if (files.length === 0) throw new ClearcopyError('USAGE', `clearcopy ${args.command}: no reports match ${args.inputs.join(' ')}`);
  const runs = files.map((file) => runFromReport(readFileSync(file, 'utf8'), file));
  const merged = mergeRuns(runs);
  // Unless told otherwise, judge by the gate the reports were made with (when they agree).
  const gates = runs.map((run) => run.gate).filter((gate) => gate !== undefined);
  const same = <T>(pick: (gate: NonNullable<RunResult['gate']>) => T) => {
    const values = new Set(gates.map((gate) => JSON.stringify(pick(gate))));
    return gates.length === runs.length && values.size === 1 ? pick(gates[0]!) : undefined;
  };
  settings.failOn ??= same((gate) => gate.failOn);
  settings.threshold ??= same((gate) => gate.threshold);
  settings.ignore ??= same((gate) => gate.ignore);
  return finish(merged, settings, args, io, [{ format: args.command === 'check' ? 'cli' : 'json' }]);
}

/** Judges the run, writes the reports, prints notes, and returns the exit code. */
async function finish(run: RunResult, settings: Settings, args: CliArgs, io: IO, defaults: ReporterSpec[], notes: string[] = []): Promise<ExitCode> {
  const judged = await judge(run, settings, args, notes);
  const stdout = await emit(judged, settings.reporters ?? defaults, io, notes, args);
  if (!stdout) {
    const verdict = gateVerdict(judged);
    const t = judged.totals;
    notes.unshift(`${t.pages} pages, ${t.error} errors, ${t.warning} warnings, ${t.notice} notices (${judged.standard}): ${verdict.passed ? 'passed' : `failed: ${verdict.reasons.join('; ')}`}`);
  }
  if (notes.length) (stdout ? io.err : io.out).write(notes.map((n) => `clearcopy: ${n}`).join('\n') + '\n');
  return exitCodeFor(judged);
}

/** Writes `<reports>/<name>.json` for every page and `<reports>/index.html` for the run. */
async function writeReports(run: RunResult, dir: string): Promise<void> {
  for (const page of run.pages) await writeFileAtomic(dir, `${page.name}.json`, pageJsonReport(run, page));
  await writeFileAtomic(dir, 'index.html', htmlReporter(run, { reportDir: path.resolve(dir) }));
}

function summaryLine(run: RunResult, args: CliArgs): string {
  const t = run.totals;
  const failed = t.failedPages ? `, ${t.failedPages} failed` : '';
  const audit = args.audit ? ` ${run.standard}: ${t.error} errors, ${t.warning} warnings, ${t.notice} notices.` : ' (not audited)';
  return `clearcopy: ${t.pages} pages${failed}.${audit} Copies in ${args.out}/, reports in ${args.reports}/index.html`;
}
