// Extraction and rendering of one page: the CPU-heavy part of the pipeline (jsdom, Readability,
// Handlebars). Runs in a worker thread (this file is piscina's worker module) or, when workers are
// off, on the calling thread. Input and output are plain data, so they cross threads as they are.
import { isMainThread } from 'node:worker_threads';
import { failureOf } from '../errors.js';
import type { ExtractOptions } from '../extract/index.js';
import { extractPage } from '../extract/page.js';
import type { LoadedPage } from '../load/file.js';
import type { ClearDoc } from '../model/document.js';
import type { Finding } from '../model/finding.js';
import type { CopySummary } from '../model/run-result.js';
import { localizeImages, type Asset, type ImageOptions } from '../assets/localize.js';
import { renderHtml } from '../render/html.js';
import { countWords } from '../model/text.js';
import { loadTemplates, type TemplateSet } from '../render/templates.js';
import { renderText, type TextOptions } from '../render/text.js';
import { renderChapter, type EpubChapter } from '../epub/chapter.js';
import { pageImages } from '../epub/images.js';
import { loadEpubTemplates, type EpubTemplates } from '../epub/templates.js';

/** One page to extract and render. */
export interface ExtractTask {
  /** The input as the user named it, for error messages. */
  label: string;
  page: LoadedPage;
  extract: ExtractOptions;
  text: TextOptions;
  /** The language of clearcopy's own words in both copies (default: the article's, or English). */
  uiLang?: string;
  /** Templates folder (default: clearcopy's own). */
  templatesDir?: string;
  /**
   * Images made to work offline (see `localizeImages`), used by {@link extractLocalizeAndRender}
   * (optional: without it, images keep their addresses).
   */
  images?: ImageOptions;
  /**
   * Time this page may take on a worker thread, in milliseconds, from the moment a thread starts on
   * it (default: the extractor's, see `openExtractor`); `0` = no limit. Not enforced on the calling thread.
   */
  timeoutMs?: number;
  /** Also render the page as an EPUB chapter (with the images a page's own input holds: data: URLs, files beside it). */
  epub?: boolean;
  /** Set by the extractor: the worker marks it when it starts on the task, so queueing time is not counted. */
  started?: SharedArrayBuffer;
}

/** The copies and what the report needs from the document, or why there are none. */
export type ExtractDone =
  | { ok: true; html: string; text: string; title: string; lang: string; findings: Finding[]; chapter?: EpubChapter; assets?: Asset[]; summary?: CopySummary }
  | { ok: false; error: { code: string; message: string } };

const templateSets = new Map<string, TemplateSet>();
const epubTemplateSets = new Map<string, EpubTemplates>();

/** Extracts and renders one page; every failure comes back as data (errors do not cross threads intact). Images keep their addresses. */
export function extractAndRender(task: ExtractTask): ExtractDone {
  try {
    templatesFor(task); // a broken template fails the page before the work
    const doc = extractPage(task.page, task.extract, task.label);
    return rendered(task, doc);
  } catch (error) {
    return { ok: false, error: failureOf(error, task.label) };
  }
}

/**
 * Extracts one page, makes its images work offline (`task.images`, see `localizeImages`) and
 * renders it; the images to write come back with the copies, as data.
 */
export async function extractLocalizeAndRender(task: ExtractTask): Promise<ExtractDone> {
  try {
    templatesFor(task); // a broken template fails the page before the work
    const doc = extractPage(task.page, task.extract, task.label);
    if (!task.images) return rendered(task, doc);
    // The book's chapter reads images from the page's own input, so it is made before the copy's images move.
    const chapter = task.epub ? renderChapter(doc, epubTemplates(task.templatesDir), { resolveImage: pageImages(doc.source) }) : undefined;
    const images = await localizeImages(doc, task.images);
    const done = rendered({ ...task, epub: false }, doc);
    if (done.ok) {
      done.assets = images.assets;
      done.summary!.images = { found: images.found, leftOut: images.leftOut };
      if (chapter) done.chapter = chapter;
    }
    return done;
  } catch (error) {
    return { ok: false, error: failureOf(error, task.label) };
  }
}

function templatesFor(task: ExtractTask): TemplateSet {
  const key = task.templatesDir ?? '';
  let templates = templateSets.get(key);
  if (!templates) {
    templates = loadTemplates(task.templatesDir);
    templateSets.set(key, templates);
  }
  return templates;
}

function rendered(task: ExtractTask, doc: ClearDoc): ExtractDone & { ok: true } {
  const templates = templatesFor(task);
  const { meta, source } = doc;
  const summary: CopySummary = { words: countWords(doc), images: { found: 0, leftOut: 0 } };
  if (meta.byline) summary.byline = meta.byline;
  if (meta.published) summary.published = meta.published;
  const url = source.originalUrl ?? meta.canonicalUrl ?? (source.url && /^https?:/i.test(source.url) ? source.url : undefined);
  if (url) summary.url = url;
  if (source.capturedAt) summary.capturedAt = source.capturedAt;
  if (meta.siteName) summary.siteName = meta.siteName;
  return {
    ok: true,
    html: renderHtml(doc, templates, task.uiLang ? { uiLang: task.uiLang } : {}),
    text: renderText(doc, templates, task.uiLang ? { ...task.text, uiLang: task.uiLang } : task.text),
    title: meta.title,
    lang: meta.lang,
    findings: doc.findings,
    summary,
    ...(task.epub ? { chapter: renderChapter(doc, epubTemplates(task.templatesDir), { resolveImage: pageImages(doc.source), ...(task.uiLang ? { uiLang: task.uiLang } : {}) }) } : {}),
  };
}
function epubTemplates(dir: string | undefined): EpubTemplates {
  let templates = epubTemplateSets.get(dir ?? '');
  if (!templates) epubTemplateSets.set(dir ?? '', (templates = loadEpubTemplates(dir)));
  return templates;
}

// A new worker thread makes one small copy as it loads this module, before it takes a task: jsdom,
// Readability and the templates load lazily and compile cold, which takes a second or more on a
// busy machine, and a page's time budget should measure the page, not the thread's start.
if (!isMainThread) {
  const body = '<p>A worker thread warms up by making one small copy of this short article before its first page.</p>';
  extractAndRender({ label: 'warm-up', page: { html: `<!DOCTYPE html><html lang="en"><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>${body}${body}</article></body></html>`, source: { name: 'warm-up', charset: 'UTF-8' } }, extract: {}, text: {} });
}

/** piscina's entry point. */
export default function run(task: ExtractTask): Promise<ExtractDone> {
  if (task.started) Atomics.store(new Int32Array(task.started), 0, 1);
  return extractLocalizeAndRender(task);
}
