import path from 'node:path';
import { ClearcopyError, describeError } from './errors.js';
import { extract, type ExtractOptions } from './extract/index.js';
import type { LoadOptions } from './load/file.js';
import { sourcesFromPaths, type PageSource } from './load/sources.js';
import type { ClearDoc } from './model/document.js';
import { countBySource, countFindings, totalsOf, type PageResult, type RunResult } from './model/run-result.js';
import { uniqueNames, writeFileAtomic } from './output.js';
import { renderHtml } from './render/html.js';
import { loadTemplates, type TemplateSet } from './render/templates.js';
import { renderText, type TextOptions } from './render/text.js';
import { openAuditor, type Auditor, type AuditorOptions } from './audit/auditor.js';
import { VERSION } from './version.js';

/** Progress events a caller can show; the library itself never prints. */
export type ProgressEvent =
  | { type: 'start'; total: number }
  | { type: 'page'; page: PageResult; done: number; total: number };

/** Options for {@link renderFiles}. */
export interface RenderFilesOptions extends LoadOptions, ExtractOptions {
  /** Folder for the copies (default: `out`). */
  outDir?: string;
  /** A templates folder with the same file names as clearcopy's (default: clearcopy's own). */
  templatesDir?: string;
  /** Text copy options (wrap width, link list). */
  text?: TextOptions;
  /** Audit each HTML copy with pa11y (default: true). */
  audit?: boolean;
  /** Options for the shared browser and pa11y. */
  auditor?: AuditorOptions;
  /** Called as pages finish (optional). */
  onProgress?: (event: ProgressEvent) => void;
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

/** Like {@link renderFiles}, for any page sources (files, stdin, URLs, archive records). */
export async function renderSources(entries: readonly PageSource[], options: RenderFilesOptions = {}): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const outDir = options.outDir ?? 'out';
  const templates = loadTemplates(options.templatesDir);
  const names = uniqueNames(entries.map((entry) => entry.rawName));
  const auditor: Auditor | undefined = options.audit === false ? undefined : await openAuditor(options.auditor);
  const pages: PageResult[] = new Array(entries.length);
  let done = 0;
  options.onProgress?.({ type: 'start', total: entries.length });
  try {
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const index = next++;
        const entry = entries[index]!;
        const page = await processOne(entry, names[index]!, { ...options, outDir }, templates, auditor);
        pages[index] = page;
        done++;
        options.onProgress?.({ type: 'page', page, done, total: entries.length });
      }
    };
    const parallel = Math.max(1, Math.min(entries.length, options.auditor?.concurrency ?? 2));
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    await auditor?.close();
  }
  return {
    schemaVersion: 1,
    tool: { name: 'clearcopy', version: VERSION },
    standard: auditor?.standard ?? options.auditor?.standard ?? 'WCAG2AA',
    runners: auditor ? [...auditor.runners, 'clearcopy'] : ['clearcopy'],
    startedAt,
    finishedAt: new Date().toISOString(),
    pages,
    totals: totalsOf(pages),
  };
}

async function processOne(
  source: PageSource,
  name: string,
  options: RenderFilesOptions & { outDir: string },
  templates: TemplateSet,
  auditor: Auditor | undefined,
): Promise<PageResult> {
  const started = performance.now();
  const input = source.label;
  const result: PageResult = { name, input, status: 'ok', audited: false, findings: [], counts: { error: 0, warning: 0, notice: 0 }, bySource: {}, durationMs: 0 };
  try {
    const page = await source.load(options);
    page.source.name = name;
    const doc = extract(page, options);
    const copy = renderCopy(doc, templates, options.text);
    result.title = doc.meta.title;
    result.lang = doc.meta.lang;
    const html = await writeFileAtomic(options.outDir, `${name}.html`, copy.html);
    const text = await writeFileAtomic(options.outDir, `${name}.txt`, copy.text);
    result.outputs = { html: path.relative(process.cwd(), html) || html, text: path.relative(process.cwd(), text) || text };
    result.findings.push(...doc.findings);
    if (auditor) {
      const outcome = await auditor.audit(copy.html, result.outputs.html);
      result.findings.push(...outcome.findings);
      result.audited = true;
    }
  } catch (error) {
    result.status = 'failed';
    result.error = {
      code: error instanceof ClearcopyError ? error.code : 'INTERNAL',
      message: error instanceof ClearcopyError ? error.message : `${input}: ${describeError(error)}`,
    };
  }
  result.counts = countFindings(result.findings);
  result.bySource = countBySource(result.findings);
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
