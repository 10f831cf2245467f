// `clearcopy render`'s per-page work: load → cache → extract+render (on a worker thread) → write
// → audit → locate. Pages stream through it: a few at a time are loaded, extracted and rendered on
// worker threads while earlier ones are audited in the browser's tab pool, so memory holds only the
// pages in flight (and each page's result), however many there are. With an EPUB stage, each
// page's chapter joins one book as it finishes (./epub.ts).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openAuditor, type Auditor } from '../audit/auditor.js';
import { auditOriginal } from '../compare/original.js';
import type { ImageOptions } from '../assets/localize.js';
import { assetsPresent, writeAssets } from '../assets/write.js';
import { COLLECTION_FILES, finishCollection, RESERVED_NAMES } from '../collection/index.js';
import { cacheKey, codeFingerprint, DEFAULT_CACHE_DIR, folderFingerprint, PageCache, sha256, type CacheEntry } from '../cache/cache.js';
import { DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW, DEFAULT_OUT_DIR, DEFAULT_RUNNERS, DEFAULT_STANDARD } from '../defaults.js';
import { describeError } from '../errors.js';
import type { ExtractOptions } from '../extract/index.js';
import type { LoadedPage } from '../load/file.js';
import type { FetchOptions } from '../load/remote.js';
import { sourcesFromInputs } from '../load/sources.js';
import type { PageSource } from '../load/source.js';
import type { ClearDoc } from '../model/document.js';
import type { PageResult, RunResult } from '../model/run-result.js';
import { writeFileAtomic } from '../output.js';
import { renderHtml } from '../render/html.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, type TemplateSet } from '../render/templates.js';
import { builtInLocalesDir } from '../i18n/catalog.js';
import { requireCatalog } from '../i18n/localizer.js';
import { renderText, type TextOptions } from '../render/text.js';
import { VERSION } from '../version.js';
import type { ExtractDone } from '../workers/extract-render.js';
import { defaultWorkerThreads, openExtractor, type Extractor } from '../workers/pool.js';
import { auditEvents, locate, scopeFor, type AuditSettings } from './audit.js';
import { emptyPage, fail, lazily, runPages, settle, type PageDone, type PageWork, type RunControl, type Sources } from './engine.js';
import { openEpubStage, type EpubOutcome, type EpubStage, type EpubStageOptions } from './epub.js';

/** How copies are rendered. */
export interface RenderStageOptions {
  /** A templates folder with the same file names as clearcopy's (default: clearcopy's own). */
  templatesDir?: string;
  /** Text copy options (wrap width, link list). */
  text?: TextOptions;
  /**
   * The language of clearcopy's own words in both copies (`--ui-lang`; default: the article's when
   * there is a catalog for it, else English marked `lang="en"`). A language without a catalog stops
   * the run before any page.
   */
  uiLang?: string;
  /**
   * Images: read from where each page came from and written under `<out>/assets/` (default), or
   * left at their original addresses (`{ mode: 'remote' }`); see `localizeImages`.
   */
  images?: ImageOptions;
}

/** Options for {@link renderSources} and {@link renderFiles}, one object per stage. */
export interface RenderOptions extends RunControl {
  /** How pages are read (`maxBytes`, fetch limits). */
  load?: FetchOptions;
  /** How articles are extracted (`maxElements`, `minTextLength`, `skipSteps`). */
  extract?: ExtractOptions;
  /** How copies are rendered. */
  render?: RenderStageOptions;
  /**
   * How each HTML copy is audited in the shared browser (default: with the defaults); `false`:
   * not at all, no browser. `compareOriginal` also audits each original archived page (scripts and
   * network off, same auditor) and keeps its issue counts per WCAG success criterion beside the copy's.
   */
  audit?: (AuditSettings & { compareOriginal?: boolean }) | false;
  /** Where the copies go: `dir` (default: `out`). */
  output?: { dir?: string };
  /**
   * Reuse the results of unchanged pages from earlier runs (default: on, in `.cache/clearcopy`). A
   * page is unchanged when its decoded content, name and address, clearcopy's version and code, the
   * templates and every option of the extract, render and audit stages that can change a copy or a
   * finding are the same. `false` neither reads nor writes.
   */
  cache?: { dir?: string } | false;
  /**
   * Worker threads that extract and render: `threads` (default: the number of cores, at most 4;
   * `0` extracts on the calling thread) and `timeoutMs`, the time one page may take on one (default:
   * 60,000, or `CLEARCOPY_EXTRACT_TIMEOUT_MS`; 0 = none): a page over it fails alone.
   */
  workers?: { threads?: number; timeoutMs?: number };
  /**
   * Also make one accessible EPUB 3 book of every copy, in input order: `file`, and `title` (default:
   * the article's, or the first one's "and N more articles"). Each page's chapter is rendered beside
   * its copies and added as the page finishes; {@link renderSources} writes the book when the run is
   * over, or removes it when the run was interrupted. Extraction then keeps images saved beside a
   * local input (`extract.localImages`, for the book only), and the cache is neither read nor
   * written (it holds no chapters). A work opened with it makes one book, in one run.
   */
  epub?: EpubStageOptions;
}

/** A render run, and what became of its book when it made one. */
export interface RenderRun extends RunResult {
  epub?: EpubOutcome;
}

/** A copy made in memory: the document and its two renderings. */
export interface Copy {
  doc: ClearDoc;
  html: string;
  text: string;
}

/** Renders one extracted document into its HTML and text copies. */
export function renderCopy(doc: ClearDoc, templates: TemplateSet, text: TextOptions = {}, uiLang?: string): Copy {
  const ui = uiLang ? { uiLang } : {};
  return { doc, html: renderHtml(doc, templates, ui), text: renderText(doc, templates, { ...text, ...ui }) };
}

/** What {@link renderPage} needs, opened once per run (or once per queue worker) by {@link openRenderWork}. */
export interface RenderContext {
  load: FetchOptions;
  extract: ExtractOptions;
  render: RenderStageOptions;
  /** The audit stage, or undefined with the audit off. */
  audit: (AuditSettings & { compareOriginal?: boolean }) | undefined;
  outDir: string;
  cache: PageCache | undefined;
  /** The parts of the cache key shared by every page. */
  runKey: unknown;
  /** The shared auditor, started when the first page needs it (never on a fully cached run). */
  auditor(): Promise<Auditor>;
  /** The extraction threads, started when the first page needs them. */
  extractor(): Promise<Extractor>;
  /** The run's book, when it makes one. */
  epub?: EpubStage;
}

/** Error codes that say something about the page itself (the same input fails the same way), so they may be cached. */
const LASTING_FAILURES = new Set(['NO_ARTICLE', 'INPUT_UNREADABLE']);

/**
 * Makes the copies of one page and audits them: load → cache → extract+render (on a worker thread)
 * → write `<out>/<name>.html` and `.txt` atomically → audit → locate (→ its chapter into the book,
 * at `index`, its place in the run). A bad page becomes a failed result; only a browser or worker
 * that cannot start rejects (fatal for the run).
 */
export async function renderPage(source: PageSource, name: string, context: RenderContext, index?: number): Promise<PageDone> {
  const started = performance.now();
  const input = source.label;
  const result = emptyPage(name, input);
  let loaded: LoadedPage | undefined;
  try {
    loaded = await source.load(context.load);
    loaded.source.name = name;
  } catch (error) {
    fail(result, error);
    return { page: settle(result, started) };
  }

  const scope = context.audit ? scopeFor(input, context.audit) : undefined;
  const key = context.cache ? cacheKey([context.runKey, scope ?? null, name, loaded.source.url ?? '', loaded.source.path ?? '', loaded.source.charset, sha256(loaded.html)]) : undefined;
  if (context.cache && key) {
    const entry = await context.cache.get(key);
    if (entry && (await restore(entry, result, context.outDir))) return { page: settle(result, started), cached: true };
  }

  const extractor = await context.extractor();
  const page = loaded;
  const originalHtml = context.audit?.compareOriginal ? page.html : undefined;
  const originalSource = originalHtml !== undefined ? page.source : undefined;
  loaded = undefined; // only the task holds the input now: it goes once extracted, before the audit
  let done: ExtractDone;
  try {
    done = await extractor.run({
      label: input,
      page,
      extract: context.extract,
      text: context.render.text ?? {},
      ...(context.render.uiLang ? { uiLang: context.render.uiLang } : {}),
      images: context.render.images ?? { mode: 'local' },
      ...(context.render.templatesDir ? { templatesDir: context.render.templatesDir } : {}),
      ...(context.epub ? { epub: true } : {}),
    });
  } catch (error) {
    done = { ok: false, error: { code: 'INTERNAL', message: `${input}: extraction failed (${describeError(error)})` } };
  }
  if (!done.ok) {
    result.status = 'failed';
    result.error = done.error;
    if (context.cache && key && LASTING_FAILURES.has(done.error.code)) await store(context.cache, key, result, undefined);
    return { page: settle(result, started) };
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
    return { page: settle(result, started) };
  }
  if (context.audit) {
    const auditor = await context.auditor(); // rejects only when no browser can start: fatal for the run
    try {
      const outcome = await auditor.audit(done.html, result.outputs.html, scope);
      for (const finding of outcome.findings) result.findings.push(locate(finding, done.html));
      result.audited = true;
    } catch (error) {
      fail(result, error);
    }
    if (originalHtml !== undefined && result.audited) result.original = await auditOriginal(auditor, originalHtml, input, originalSource);
  }
  if (context.epub && done.chapter) context.epub.add(done.chapter, result, index);
  if (context.cache && key && result.status === 'ok') await store(context.cache, key, result, { html: done.html, text: done.text });
  return { page: settle(result, started) };
}

/**
 * The per-page work of `clearcopy render`. Templates are compiled here, so a missing or broken one
 * stops the run before any page; the browser and the worker threads start when the first page
 * needs them. Close it when done.
 */
export function openRenderWork(options: RenderOptions = {}): PageWork & RenderContext {
  const emit = options.onProgress ?? (() => undefined);
  const render = options.render ?? {};
  const templates = loadTemplates(render.templatesDir);
  if (render.uiLang) requireCatalog(templates.catalogs, render.uiLang);
  const audit = options.audit === false ? undefined : options.audit ?? {};
  // A book carries the images saved beside a local input; the copies still leave them out.
  const extract = options.epub ? { localImages: true, ...options.extract } : options.extract ?? {};
  const cloneable = canCross(extract);
  const cache = options.cache === false || options.epub ? undefined : new PageCache(path.resolve(options.cache?.dir ?? DEFAULT_CACHE_DIR));
  const standard = audit?.standard ?? DEFAULT_STANDARD;
  const epub = options.epub ? openEpubStage(options.epub, { ...(render.templatesDir ? { templatesDir: render.templatesDir } : {}), ...(render.uiLang ? { uiLang: render.uiLang } : {}), standard }) : undefined;
  const auditor = lazily(() => openAuditor({
    // The copies are static (no script, no animation); the originals compared with them may not be.
    staticPages: audit?.compareOriginal !== true,
    ...audit,
    onEvent: auditEvents(emit),
  }));
  const threads = cloneable ? Math.max(0, options.workers?.threads ?? defaultWorkerThreads()) : 0;
  const timeoutMs = options.workers?.timeoutMs;
  const extractor = lazily(() => openExtractor(threads, timeoutMs !== undefined ? { timeoutMs } : {}));
  const context: RenderContext = {
    load: options.load ?? {},
    extract,
    render,
    audit,
    outDir: options.output?.dir ?? DEFAULT_OUT_DIR,
    cache,
    runKey: cache ? runKeyParts(extract, render, audit) : undefined,
    auditor: auditor.get,
    extractor: extractor.get,
    ...(epub ? { epub } : {}),
  };
  const concurrency = Math.max(1, audit?.concurrency ?? os.availableParallelism());
  // Pages in flight: enough to keep every tab and every worker busy, few enough to keep memory flat.
  const inFlight = (audit ? concurrency : 0) + Math.max(1, threads) + 1;
  return {
    ...context,
    standard,
    runners: audit ? [...(audit.runners ?? DEFAULT_RUNNERS), 'clearcopy'] : ['clearcopy'],
    // The output folder's index of the copies takes `index.html` and `index.txt`.
    reservedNames: RESERVED_NAMES,
    lanes: (total) => Math.min(total ?? inFlight, inFlight),
    run: (source, name, index) => renderPage(source, name, context, index),
    close: async () => {
      // A book not finished by now is removed (renderSources finishes it before closing).
      await Promise.all([auditor.close(), extractor.close(), epub?.abort()]);
    },
  };
}

/**
 * The whole job on any page sources (files, stdin, URLs, archive records; a list, or an async
 * iterable a queue feeds): load, extract, render, write `<out>/<name>.html` and `<name>.txt`
 * atomically, and audit every HTML copy in one shared browser. A bad page becomes a failed entry
 * and the rest of the batch goes on; only misuse and fatal errors (no browser, a broken template) reject.
 * With `epub`, the book is written after the last page (or removed when the run was interrupted or
 * stopped) and the result says what became of it.
 */
export async function renderSources(sources: Sources, options: RenderOptions = {}): Promise<RenderRun> {
  const work = openRenderWork(options);
  try {
    const pages = await runPages(sources, work, options);
    // The output folder's copies linked to each other, and its index updated (earlier runs' copies kept).
    const collection = await finishCollection(work.outDir, pages.pages, { ...(work.render.templatesDir ? { templatesDir: work.render.templatesDir } : {}), ...(work.render.uiLang ? { uiLang: work.render.uiLang } : {}) });
    const run: RenderRun = { ...pages, collection: { index: path.relative(process.cwd(), path.resolve(work.outDir, COLLECTION_FILES.html)) || COLLECTION_FILES.html, ...collection } };
    const epub = await work.epub?.finish(run);
    return epub ? { ...run, epub } : run;
  } finally {
    await work.close();
  }
}

/** Like {@link renderSources}, for what a user types: files, folders, globs, URLs, archives, `-`. */
export async function renderFiles(inputs: readonly string[], options: RenderOptions = {}): Promise<RenderRun> {
  return renderSources((await sourcesFromInputs(inputs, options.load)).sources, options);
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

/** Whether extraction options can cross to a worker thread (a function cannot: extraction then stays on this thread). */
function canCross(options: ExtractOptions): boolean {
  try {
    structuredClone(options);
    return true;
  } catch {
    return false;
  }
}

/**
 * Audit options that cannot change a finding (how fast, in which browser, what pages the rules
 * name): left out of the cache key. Every other audit option is in it, so an option added later
 * keys the cache unless it is listed here.
 */
const AUDIT_KEYS_WITHOUT_EFFECT = new Set(['concurrency', 'timeoutMs', 'browserPath', 'staticPages', 'recycleTabAfter', 'collectGarbageEvery', 'pages']);

/** The parts of the cache key shared by every page of a run: whole stages, never a hand-picked list of keys. */
function runKeyParts(extract: ExtractOptions, render: RenderStageOptions, audit: RenderContext['audit']): unknown {
  // The whole render stage but its folder, which is keyed by its contents above.
  const { templatesDir: _templatesDir, ...renderKey } = { ...render, text: render.text ?? {} };
  const auditKey = audit
    ? Object.fromEntries(Object.entries({
      standard: DEFAULT_STANDARD,
      runners: DEFAULT_RUNNERS,
      levelCapWhenNeedsReview: DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW,
      ...audit,
      ignore: [...(audit.ignore ?? [])].map((code) => code.toLowerCase()).sort(),
    }).filter(([name, value]) => !AUDIT_KEYS_WITHOUT_EFFECT.has(name) && value !== undefined))
    : false;
  return {
    cache: 3,
    version: VERSION,
    code: codeFingerprint(),
    templates: folderFingerprint(render.templatesDir ?? DEFAULT_TEMPLATES_DIR),
    // clearcopy's own catalogs lie under every templates folder's (a user's only adds or replaces messages).
    catalogs: folderFingerprint(builtInLocalesDir(DEFAULT_TEMPLATES_DIR)),
    extract: stableJson(extract),
    render: stableJson(renderKey),
    audit: auditKey ? stableJson(auditKey) : false,
  };
}

/** JSON with object keys sorted, functions named and hashed (so equal options give equal keys). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'function') return `function ${(v as { name?: string }).name ?? ''}:${sha256(String(v))}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
