// Extraction and rendering of one page: the CPU-heavy part of the pipeline (jsdom, Readability,
// Handlebars). Runs in a worker thread (this file is piscina's worker module) or, when workers are
// off, on the calling thread. Input and output are plain data, so they cross threads as they are.
import { ClearcopyError, describeError } from '../errors.js';
import { extract, type ExtractOptions } from '../extract/index.js';
import type { LoadedPage } from '../load/file.js';
import type { Finding } from '../model/finding.js';
import { renderHtml } from '../render/html.js';
import { loadTemplates, type TemplateSet } from '../render/templates.js';
import { renderText, type TextOptions } from '../render/text.js';

/** One page to extract and render. */
export interface ExtractTask {
  /** The input as the user named it, for error messages. */
  label: string;
  page: LoadedPage;
  extract: ExtractOptions;
  text: TextOptions;
  /** Templates folder (default: clearcopy's own). */
  templatesDir?: string;
}

/** The copies and what the report needs from the document, or why there are none. */
export type ExtractDone =
  | { ok: true; html: string; text: string; title: string; lang: string; findings: Finding[] }
  | { ok: false; error: { code: string; message: string } };

const templateSets = new Map<string, TemplateSet>();

/** Extracts and renders one page; every failure comes back as data (errors do not cross threads intact). */
export function extractAndRender(task: ExtractTask): ExtractDone {
  try {
    const key = task.templatesDir ?? '';
    let templates = templateSets.get(key);
    if (!templates) {
      templates = loadTemplates(task.templatesDir);
      templateSets.set(key, templates);
    }
    const doc = extract(task.page, task.extract);
    return {
      ok: true,
      html: renderHtml(doc, templates),
      text: renderText(doc, templates, task.text),
      title: doc.meta.title,
      lang: doc.meta.lang,
      findings: doc.findings,
    };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: error instanceof ClearcopyError ? error.code : 'INTERNAL',
        message: error instanceof ClearcopyError ? error.message : `${task.label}: ${describeError(error)}`,
      },
    };
  }
}

/** piscina's entry point. */
export default function run(task: ExtractTask): ExtractDone {
  return extractAndRender(task);
}
