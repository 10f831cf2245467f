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
  /**
   * Where a browser can open the page itself: a local HTML file or an http(s) URL. Absent for a page
   * that has no address of its own (standard input, an archive record, an input that failed).
   */
  address?: { kind: 'file'; path: string } | { kind: 'url'; url: string };
  /** Reads and decodes the page; rejects with a ClearcopyError naming `label` when it cannot. */
  load(options: LoadOptions): Promise<LoadedPage>;
  /**
   * Where the page is, as plain data another process can rebuild the source from (`sourceFromRef`
   * in ./ref.ts): set for files, URLs, archive records and inputs that name no page; absent for
   * standard input, which only this process can read.
   */
  ref?: SourceRef;
}

/** A page's whereabouts as JSON: what a queue job carries instead of the page. */
export type SourceRef =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'warc'; file: string; offset: number; length: number; uri: string; date?: string }
  /** A page of a WACZ by its address and listed capture time (its record is found through the archive's index). */
  | { kind: 'wacz'; file: string; url: string; ts?: string }
  | { kind: 'mhtml'; file: string }
  /** An input that names no page (missing, an empty archive): it fails with this code and line wherever it runs. */
  | { kind: 'failing'; code: string; message: string };
