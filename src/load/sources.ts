import { ClearcopyError } from '../errors.js';
import type { LoadedPage, LoadOptions } from './file.js';
import { loadFile } from './file.js';
import { expandInputs } from './inputs.js';

/**
 * One page to process, before it is read: the pipeline asks each source for its page when it is
 * ready for it, so a batch of thousands never holds them all in memory.
 */
export interface PageSource {
  /** The input as the user named it (a path, a URL, `-`, or `archive.warc.gz#record-3`). */
  label: string;
  /** The raw name the output name is made from (before it is made safe and unique). */
  rawName: string;
  /** Reads and decodes the page; rejects with a ClearcopyError naming `label` when it cannot. */
  load(options: LoadOptions): Promise<LoadedPage>;
}

/** Page sources for files and folders (recursively); a missing path becomes a source that fails with a clear message. */
export async function sourcesFromPaths(inputs: readonly string[]): Promise<PageSource[]> {
  const entries = await expandInputs(inputs);
  return entries.map((entry) => ({
    label: entry.path,
    rawName: entry.path.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, ''),
    load: (options) => (entry.error
      ? Promise.reject(new ClearcopyError('INPUT_NOT_FOUND', entry.error, { file: entry.path }))
      : loadFile(entry.path, options)),
  }));
}
