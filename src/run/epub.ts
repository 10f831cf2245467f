// The EPUB stage of `clearcopy render`: every copy of a run as one chapter of one book, added at
// its place in input order as its page finishes, the book written once the run is over (and not at
// all when the run was interrupted or stopped). The chapters are rendered on the worker threads
// beside the copies; this stage only collects them.
import path from 'node:path';
import { createEpubBuilder, type EpubSummary } from '../epub/book.js';
import type { EpubChapter } from '../epub/chapter.js';
import { ClearcopyError } from '../errors.js';
import type { PageResult, RunResult } from '../model/run-result.js';

/** The EPUB stage of a render run: one book of every copy. */
export interface EpubStageOptions {
  /** Where the book goes (written beside it, then renamed into place when the run is over). */
  file: string;
  /** The book's title (default: the article's, or "<first title> and N more articles"). */
  title?: string;
  /** The book's `dcterms:modified` (default: now). */
  modified?: Date;
}

/** What became of the book: written, not written because the run was interrupted, or failed (no chapter, a write error). */
export type EpubOutcome =
  | { file: string; written: EpubSummary }
  | { file: string; interrupted: true }
  | { file: string; error: { code: string; message: string } };

/** One run's book, open while its pages run. */
export interface EpubStage {
  /** Adds a page's chapter at `index` (its place in the run, input order; default: after the last one). */
  add(chapter: EpubChapter, page: PageResult, index: number | undefined): void;
  /** Writes the book after the run, or removes it when the run was interrupted. */
  finish(run: RunResult): Promise<EpubOutcome>;
  /** Removes an unfinished book (nothing happens once it is finished). */
  abort(): Promise<void>;
}

/**
 * Opens the book of a run. Its templates load now, so a broken one stops the run before any page.
 * `standard` is the run's audit level: the book claims WCAG 2.2 AA only when every chapter's copy
 * was audited at AA or AAA without an error.
 */
export function openEpubStage(options: EpubStageOptions, context: { templatesDir?: string; standard: string }): EpubStage {
  const builder = createEpubBuilder({
    tempDir: path.dirname(path.resolve(options.file)),
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.modified ? { modified: options.modified } : {}),
    ...(context.templatesDir ? { templatesDir: context.templatesDir } : {}),
  });
  let settled = false;
  return {
    add(chapter, page, index) {
      // Every copy written is in the book, also one whose audit failed (the book then claims nothing).
      const auditPassed = page.audited && context.standard !== 'WCAG2A' && !page.findings.some((finding) => finding.severity === 'error');
      builder.add(chapter, { ...(index !== undefined ? { index } : {}), auditPassed });
    },
    async finish(run) {
      if (settled) throw new ClearcopyError('USAGE', `${options.file}: this book is already finished (one book per run)`);
      settled = true;
      if (run.interrupted) {
        await builder.abort();
        return { file: options.file, interrupted: true };
      }
      try {
        return { file: options.file, written: await builder.finish(options.file) };
      } catch (error) {
        if (!(error instanceof ClearcopyError)) throw error;
        return { file: options.file, error: { code: error.code, message: error.message } };
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      await builder.abort();
    },
  };
}
