import type { LoadedPage, LoadOptions } from './file.js';

/**
 * One page to process, before it is read: the run asks each source for its page when it is ready
 * for it, so a batch of thousands never holds them all in memory.
 */
export interface PageSource {
  /** The input as the user named it (a path, a URL, `-`, or `archive.warc.gz#<record URI>`). */
  label: string;
  /** The raw name the output name is made from (before it is made safe and unique). */
  rawName: string;
  /** Reads and decodes the page; rejects with a ClearcopyError naming `label` when it cannot. */
  load(options: LoadOptions): Promise<LoadedPage>;
}
