import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClearcopyError, describeError } from './errors.js';
import type { ExtractOptions } from './extract/index.js';
import type { LoadedPage, LoadOptions } from './load/file.js';
import { sourcesFromPaths, type PageSource } from './load/sources.js';
import type { ClearDoc } from './model/document.js';
import { countBySource, countFindings, totalsOf, type PageResult, type RunResult } from './model/run-result.js';
import { uniqueNames, writeFileAtomic } from './output.js';
import { renderHtml } from './render/html.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, type TemplateSet } from './render/templates.js';
import { renderText, type TextOptions } from './render/text.js';
import { openAuditor, type AuditEvent, type Auditor, type AuditorOptions, type PageCheck } from './audit/auditor.js';
import { DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW } from './audit/pa11y-scripts.js';
import { cacheKey, codeFingerprint, DEFAULT_CACHE_DIR, folderFingerprint, PageCache, sha256, type CacheEntry } from './cache/cache.js';
import { defaultWorkerThreads, openExtractor, type Extractor } from './workers/pool.js';
import type { ExtractDone } from './workers/extract-render.js';
import { VERSION } from './version.js';
import { auditOriginal } from './compare/original.js';
import type { ImageOptions } from './assets/localize.js';
import { assetsPresent, writeAssets } from './assets/write.js';
import { COLLECTION_FILES, finishCollection, RESERVED_NAMES } from './collection/index.js';
import { shardOf, type Shard } from './shard.js';

export { shardOf, type Shard };

/**
 * Progress events a caller can show; the library itself never prints. Events are plain data
 * (see `src/cli/progress.ts` for the terminal renderer).
 */
export type ProgressEvent =
  /** The run starts: `total` pages to process (after sharding; `inputs` before it). */
  | { type: 'start'; total: number; inputs?: number; shard?: Shard }
  /** A page finished (`cached`: its result came from the cache); `failed` counts failed pages so far. */
  | { type: 'page'; page: PageResult; done: number; total: number; cached?: boolean; failed?: number }
  /** The browser crashed or hung while auditing `input`; the page is being tried once more. */
  | { type: 'retry'; input: string; reason: string }
  /** A new browser was started after the previous one crashed or hung. */
  | { type: 'browser-restart'; reason: string }
  /** The run is over. */
  | { type: 'end'; totals: RunResult['totals']; cached: number; durationMs: number };

/** Options for {@link renderFiles}. */
export interface RenderFilesOptions extends LoadOptions, ExtractOptions {
  /** Folder for the copies (default: `out`). */
  outDir?: string;
  /** A templates folder with the same file names as clearcopy's (default: clearcopy's own). */
  templatesDir?: string;
  /** Text copy options (wrap width, link list). */
  text?: TextOptions;
  /**
   * Images: read from where each page came from and written under `<out>/assets/` (default), or
   * left at their original addresses (`{ mode: 'remote' }`); see `localizeImages`.
   */
  images?: ImageOptions;
  /** Audit each HTML copy with pa11y (default: true). */
  audit?: boolean;
  /** Options for the shared browser and pa11y. */
  auditor?: AuditorOptions;
  /** Called as pages finish (optional). */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Reuse the results of unchanged pages from earlier runs (default: true). A page is unchanged
   * when its decoded content, name and address, clearcopy's version and code, the templates and
   * every option that affects a copy or a finding are the same. `false` neither reads nor writes.
   */
  cache?: boolean;
  /** Where the cache lives (default: `.cache/clearcopy` in the working directory). */
  cacheDir?: string;
  /** Process only this shard of the inputs: a stable split by input name, so n CI jobs share an archive (optional). */
  shard?: Shard;
  /**
   * Worker threads for extraction and rendering (default: the number of cores, at most 4);
   * `0` extracts on the calling thread.
   */
  workers?: number;
  /**
   * Stops the run early (Ctrl-C): no new page starts, pages in flight finish and are written
   * atomically, and the result holds the pages that finished, with `interrupted` set.
   */
  signal?: AbortSignal;
  /**
   * Also audit each original archived page (scripts and network off, same auditor) and keep its
   * issue counts per WCAG success criterion beside the copy's, for a before/after report.
   */
  compareOriginal?: boolean;
  /**
   * Time one page may take to extract and render on a worker thread, in ms (default: 60,000, or
   * `CLEARCOPY_EXTRACT_TIMEOUT_MS`; 0 = none): a page over it fails alone and the run goes on.
   */
  extractTimeoutMs?: number;
}

/** A copy made in memory: the document and its two renderings. */
export interface Copy {
  doc: ClearDoc;
  html: string;
  text: string;
}

/** Renders one extracted document into its HTML and text copies. */
export function renderCopy(doc: ClearDoc, templates: TemplateSet, text: TextOptions = {}): Copy {
  return { doc, html: renderHtml(doc, templates), text: renderText(doc, templates, text) };
}

/**
 * The whole job on files and folders: load, extract, render, write `<out>/<name>.html` and
 * `<name>.txt` atomically, and audit every HTML copy in one shared browser. A bad page becomes a
 * failed entry and the rest of the batch goes on; only misuse and fatal errors (no browser, a
 * broken template) reject.
 */
export async function renderFiles(inputs: readonly string[], options: RenderFilesOptions = {}): Promise<RunResult> {
  return renderSources(await sourcesFromPaths(inputs), options);
}

/** Keys of {@link RenderFilesOptions} that are not extraction options. */
const PIPELINE_KEYS = new Set(['outDir', 'templatesDir', 'text', 'images', 'audit', 'auditor', 'onProgress', 'cache', 'cacheDir', 'shard', 'workers', 'maxBytes', 'signal', 'compareOriginal', 'extractTimeoutMs']);

/**
 * Like {@link renderFiles}, for any page sources (files, stdin, URLs, archive records).
 *
 * Pages stream through the stages: a few at a time are loaded, extracted and rendered on worker
 * threads while earlier ones are audited in the browser's tab pool, so memory holds only the pages
 * in flight (and each page's result), however many there are.
 */
export async function renderSources(entries: readonly PageSource[], options: RenderFilesOptions = {}): Promise<RunResult> {
  const began = performance.now();
  const startedAt = new Date().toISOString();
  const outDir = options.outDir ?? 'out';
  const emit = options.onProgress ?? (() => undefined);
  const shard = checkShard(options.shard);
  // Names are made over all inputs, before sharding, so a page has the same name in every shard.
  const allNames = uniqueNames(entries.map((entry) => entry.rawName), RESERVED_NAMES);
  const chosen = entries.map((entry, index) => ({ entry, name: allNames[index]! })).filter(({ entry }) => !shard || shardOf(entry.label, shard.total) === shard.index);
  // Templates are compiled here too, so a missing or broken one stops the run before any page.
  const templates = loadTemplates(options.templatesDir);
  const auditEnabled = options.audit !== false;
  const auditorOptions = options.auditor ?? {};
  const extractOptions = extractOptionsOf(options);
  const cache = options.cache === false ? undefined : new PageCache(path.resolve(options.cacheDir ?? DEFAULT_CACHE_DIR));
  const runKey = cache ? runKeyParts(options, extractOptions.options, auditEnabled) : undefined;

  // The browser and the worker threads start when the first page needs them (never on a fully cached run).
  let auditorOpening: Promise<Auditor> | undefined;
  const auditor = () => (auditorOpening ??= openAuditor({
    // The copies are static (no script, no animation); the originals compared with them may not be.
    staticPages: options.compareOriginal !== true,
    ...auditorOptions,
    onEvent: (event: AuditEvent) => emit(event.type === 'retry' ? { type: 'retry', input: event.label, reason: event.reason } : event),
  }));
  const threads = extractOptions.cloneable ? Math.max(0, options.workers ?? defaultWorkerThreads()) : 0;
  let extractorOpening: Promise<Extractor> | undefined;
  const extractor = () => (extractorOpening ??= openExtractor(threads, options.extractTimeoutMs !== undefined ? { timeoutMs: options.extractTimeoutMs } : {}));

  const pages: PageResult[] = new Array(chosen.length);
  let done = 0;
  let failed = 0;
  let cachedPages = 0;
  emit({ type: 'start', total: chosen.length, inputs: entries.length, ...(shard ? { shard } : {}) });
  const concurrency = Math.max(1, auditorOptions.concurrency ?? os.availableParallelism());
  // Pages in flight: enough to keep every tab and every worker busy, few enough to keep memory flat.
  const lanes = Math.max(1, Math.min(chosen.length, (auditEnabled ? concurrency : 0) + Math.max(1, threads) + 1));
  let fatal: unknown;
  try {
    let next = 0;
    const lane = async () => {
      while (next < chosen.length && fatal === undefined && !options.signal?.aborted) {
        const index = next++;
        const { entry, name } = chosen[index]!;
        let page: PageResult;
        let cached = false;
        try {
          ({ page, cached } = await processOne(entry, name, {
            options, outDir, templatesDir: options.templatesDir, extractOptions: extractOptions.options,
            cache, runKey, audit: auditEnabled ? auditor : undefined, extractor,
          }));
        } catch (error) {
          // Only fatal errors get here (no browser, no worker): stop taking new pages.
          fatal ??= error;
          return;
        }
        pages[index] = page;
        done++;
        if (cached) cachedPages++;
        if (page.status === 'failed') failed++;
        emit({ type: 'page', page, done, total: chosen.length, cached, failed });
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    const closing: Promise<unknown>[] = [];
    if (auditorOpening) closing.push(auditorOpening.then((a) => a.close(), () => undefined));
    if (extractorOpening) closing.push(extractorOpening.then((e) => e.close(), () => undefined));
    await Promise.all(closing);
  }
  if (fatal !== undefined) throw fatal;
  // An interrupted run reports the pages that finished, in input order.
  const finished = pages.filter((page): page is PageResult => page !== undefined);
  const interrupted = finished.length < chosen.length;
  // The output folder's copies linked to each other, and its index updated (earlier runs' copies kept).
  const collection = await finishCollection(outDir, finished, options.templatesDir);
  const standard = auditorOptions.standard ?? 'WCAG2AA';
  const runners = auditorOptions.runners ?? ['htmlcs', 'axe'];
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'clearcopy', version: VERSION },
    standard,
    runners: auditEnabled ? [...runners, 'clearcopy'] : ['clearcopy'],
    startedAt,
    finishedAt: new Date().toISOString(),
    pages: finished,
    totals: totalsOf(finished),
    ...(shard ? { shard } : {}),
    ...(interrupted ? { interrupted: { reason: interruptReason(options.signal), notProcessed: chosen.length - finished.length } } : {}),
    collection: { index: path.relative(process.cwd(), path.resolve(outDir, COLLECTION_FILES.html)) || COLLECTION_FILES.html, ...collection },
  };
  emit({ type: 'end', totals: result.totals, cached: cachedPages, durationMs: Math.round(performance.now() - began) });
  return result;
}

interface PageContext {
  options: RenderFilesOptions;
  outDir: string;
  templatesDir: string | undefined;
  extractOptions: ExtractOptions;
  cache: PageCache | undefined;
  runKey: unknown;
  audit: (() => Promise<Auditor>) | undefined;
  extractor: () => Promise<Extractor>;
}

/** Error codes that say something about the page itself (the same input fails the same way), so they may be cached. */
const LASTING_FAILURES = new Set(['NO_ARTICLE', 'INPUT_UNREADABLE']);

async function processOne(source: PageSource, name: string, context: PageContext): Promise<{ page: PageResult; cached: boolean }> {
  const started = performance.now();
  const input = source.label;
  const result: PageResult = { name, input, status: 'ok', audited: false, findings: [], counts: { error: 0, warning: 0, notice: 0 }, bySource: {}, durationMs: 0 };
  const finish = (cached: boolean) => {
    result.counts = countFindings(result.findings);
    result.bySource = countBySource(result.findings);
    result.durationMs = Math.round(performance.now() - started);
    return { page: result, cached };
  };
  let loaded: LoadedPage | undefined;
  try {
    loaded = await source.load(context.options);
    loaded.source.name = name;
  } catch (error) {
    fail(result, error);
    return finish(false);
  }

  const key = context.cache ? cacheKey([context.runKey, name, loaded.source.url ?? '', loaded.source.path ?? '', loaded.source.charset, sha256(loaded.html)]) : undefined;
  if (context.cache && key) {
    const entry = await context.cache.get(key);
    if (entry && (await restore(entry, result, context.outDir))) return finish(true);
  }

  const extractor = await context.extractor();
  const page = loaded;
  const originalHtml = context.options.compareOriginal && context.audit ? page.html : undefined;
  loaded = undefined; // only the task holds the input now: it goes once extracted, before the audit
  let done: ExtractDone;
  try {
    done = await extractor.run({
      label: input,
      page,
      extract: context.extractOptions,
      text: context.options.text ?? {},
      images: context.options.images ?? { mode: 'local' },
      ...(context.templatesDir ? { templatesDir: context.templatesDir } : {}),
    });
  } catch (error) {
    done = { ok: false, error: { code: 'INTERNAL', message: `${input}: extraction failed (${describeError(error)})` } };
  }
  if (!done.ok) {
    result.status = 'failed';
    result.error = done.error;
    if (context.cache && key && LASTING_FAILURES.has(done.error.code)) await store(context.cache, key, result, undefined);
    return finish(false);
  }
  result.title = done.title;
  result.lang = done.lang;
  result.findings.push(...done.findings);
  if (done.summary) result.copy = done.summary;
  try {
    // Images first: a copy is never there without the images it shows.
    if (done.assets?.length) await writeAssets(context.outDir, done.assets);
    result.outputs = await writeCopies(context.outDir, name, done.html, done.text);
  } catch (error) {
    fail(result, error);
    return finish(false);
  }
  if (context.audit) {
    const auditor = await context.audit(); // rejects only when no browser can start: fatal for the run
    try {
      const outcome = await auditor.audit(done.html, result.outputs.html);
      result.findings.push(...outcome.findings);
      result.audited = true;
    } catch (error) {
      fail(result, error);
    }
    if (originalHtml !== undefined && result.audited) result.original = await auditOriginal(auditor, originalHtml, input);
  }
  if (context.cache && key && result.status === 'ok') await store(context.cache, key, result, { html: done.html, text: done.text });
  return finish(false);
}

/** The signal's reason as a short word (`SIGINT`, `SIGTERM`), or `aborted`. */
function interruptReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.message) return reason.message;
  return 'aborted';
}

function fail(result: PageResult, error: unknown): void {
  result.status = 'failed';
  result.error = {
    code: error instanceof ClearcopyError ? error.code : 'INTERNAL',
    message: error instanceof ClearcopyError ? error.message : `${result.input}: ${describeError(error)}`,
  };
}

async function writeCopies(outDir: string, name: string, html: string, text: string): Promise<{ html: string; text: string }> {
  const htmlFile = await writeFileAtomic(outDir, `${name}.html`, html);
  const textFile = await writeFileAtomic(outDir, `${name}.txt`, text);
  return { html: path.relative(process.cwd(), htmlFile) || htmlFile, text: path.relative(process.cwd(), textFile) || textFile };
}

/** Fills `result` from a cache entry and makes sure its copies are in the out folder; false when they cannot be. */
async function restore(entry: CacheEntry, result: PageResult, outDir: string): Promise<boolean> {
  const { name: _name, ...rest } = entry.result;
  Object.assign(result, rest, { findings: [...entry.result.findings] });
  if (!entry.copies) return true;
  try {
    const outputs: Partial<Record<'html' | 'text', string>> = {};
    for (const kind of ['html', 'text'] as const) {
      const file = path.resolve(outDir, `${result.name}.${kind === 'html' ? 'html' : 'txt'}`);
      const content = entry.copies[kind];
      const current = await readFile(file, 'utf8').catch(() => undefined);
      // Verify the copy is there and unchanged; write it again from the cache when it is not.
      const written = current === content ? file : await writeFileAtomic(outDir, path.basename(file), content);
      outputs[kind] = path.relative(process.cwd(), written) || written;
    }
    result.outputs = { html: outputs.html!, text: outputs.text! };
    // The images it shows are not in the cache: a copy whose images are gone is made again.
    return await assetsPresent(outDir, entry.copies.html);
  } catch {
    return false;
  }
}

async function store(cache: PageCache, key: string, result: PageResult, copies: CacheEntry['copies']): Promise<void> {
  const { input: _input, outputs: _outputs, durationMs: _duration, ...kept } = result;
  // A cache that cannot be written only costs the next run time: never fail a page for it.
  await cache.put({ schema: 1, key, result: kept, ...(copies ? { copies } : {}) }).catch(() => undefined);
}

function checkShard(shard: Shard | undefined): Shard | undefined {
  if (!shard) return undefined;
  const { index, total } = shard;
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(index) || index < 1 || index > total) {
    throw new ClearcopyError('USAGE', `clearcopy: a shard is "i/n" with 1 ≤ i ≤ n (for example 2/4), not ${index}/${total}`);
  }
  return shard;
}

/** The extraction options in `options` (whatever ExtractOptions holds), and whether they can cross to a worker thread. */
function extractOptionsOf(options: RenderFilesOptions): { options: ExtractOptions; cloneable: boolean } {
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!PIPELINE_KEYS.has(key) && value !== undefined) picked[key] = value;
  let cloneable = true;
  try {
    structuredClone(picked);
  } catch {
    cloneable = false; // e.g. a function: extraction stays on this thread
  }
  return { options: picked as ExtractOptions, cloneable };
}

/** The parts of the cache key shared by every page of a run. */
function runKeyParts(options: RenderFilesOptions, extractOptions: ExtractOptions, audit: boolean): unknown {
  const auditor = options.auditor ?? {};
  return {
    cache: 1,
    version: VERSION,
    code: codeFingerprint(),
    templates: folderFingerprint(options.templatesDir ?? DEFAULT_TEMPLATES_DIR),
    extract: stableJson(extractOptions),
    text: stableJson(options.text ?? {}),
    images: stableJson(options.images ?? {}),
    audit: audit
      ? {
          standard: auditor.standard ?? 'WCAG2AA',
          runners: auditor.runners ?? ['htmlcs', 'axe'],
          ignore: [...(auditor.ignore ?? [])].map((code) => code.toLowerCase()).sort(),
          rootElement: auditor.rootElement ?? null,
          hideElements: auditor.hideElements ?? null,
          pageChecks: (auditor.pageChecks ?? []).map(checkIdentity),
          levelCapWhenNeedsReview: auditor.levelCapWhenNeedsReview ?? DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW,
          compareOriginal: options.compareOriginal === true,
        }
      : false,
  };
}

/** A page check's identity for the cache: its name and a hash of its source. */
function checkIdentity(check: PageCheck): string {
  return `${check.name}:${sha256(check.toString())}`;
}

/** JSON with object keys sorted, functions named (so equal options give equal keys). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'function') return `function ${(v as { name?: string }).name ?? ''}:${sha256(String(v))}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
