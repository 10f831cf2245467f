import { stat } from 'node:fs/promises';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ClearcopyError } from '../errors.js';
import type { LoadedPage, LoadOptions } from './file.js';
import { loadFile } from './file.js';
import { expandInputs } from './inputs.js';
import { isHttpUrl, urlSource, type FetchOptions } from './remote.js';
import { stdinSource } from './stdin.js';
import { isWarcPath, listWarc, type WarcListing } from './warc.js';
import { isWaczPath, listWacz } from './wacz.js';
import { isMhtmlPath, loadMhtml } from './mhtml.js';

/**
 * One page to process, before it is read: the pipeline asks each source for its page when it is
 * ready for it, so a batch of thousands never holds them all in memory.
 */
export interface PageSource {
  /** The input as the user named it (a path, a URL, `-`, or `archive.warc.gz#<record URI>`). */
  label: string;
  /** The raw name the output name is made from (before it is made safe and unique). */
  rawName: string;
  /** Reads and decodes the page; rejects with a ClearcopyError naming `label` when it cannot. */
  load(options: LoadOptions): Promise<LoadedPage>;
}

/** What expanding the inputs found. */
export interface SourceListing {
  sources: PageSource[];
  /** WARC records skipped (revisits, non-HTML, non-2xx), summed over all WARC inputs. */
  skipped: WarcListing['skipped'];
}

/** Page sources for files and folders (recursively); a missing path becomes a source that fails with a clear message. */
export async function sourcesFromPaths(inputs: readonly string[]): Promise<PageSource[]> {
  return (await sourcesFromInputs(inputs)).sources;
}

/**
 * Expands what a user typed into page sources: `-` (standard input), http(s) URLs, globs, folders
 * (recursively: HTML files, WARCs, WACZs and MHTML files), HTML files, `.warc`/`.warc.gz` files (one
 * source per HTML response record), `.wacz` files (one source per listed page) and `.mhtml`/`.mht` files. Inputs that match nothing become sources that fail with a one-line reason.
 */
export async function sourcesFromInputs(inputs: readonly string[], options: FetchOptions & { stdin?: NodeJS.ReadableStream } = {}): Promise<SourceListing> {
  const skipped = { revisit: 0, nonHtml: 0, notOk: 0, other: 0 };
  const sources: PageSource[] = [];
  const addFile = async (file: string) => {
    if (isWaczPath(file)) {
      try {
        const pages = await listWacz(file);
        sources.push(...pages);
        if (pages.length === 0) sources.push(failing(file, `${file}: the WACZ lists no pages and holds no HTML captures`));
      } catch (error) {
        sources.push(failing(file, (error as Error).message));
      }
      return;
    }
    if (isMhtmlPath(file)) {
      sources.push({ label: file, rawName: file.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, ''), load: (o) => loadMhtml(file, o) });
      return;
    }
    if (!isWarcPath(file)) {
      sources.push({ label: file, rawName: file.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, ''), load: (o) => loadFile(file, o) });
      return;
    }
    try {
      const listing = await listWarc(file);
      sources.push(...listing.sources);
      for (const key of Object.keys(skipped) as (keyof typeof skipped)[]) skipped[key] += listing.skipped[key];
      if (listing.sources.length === 0) sources.push(failing(file, `${file}: the WARC holds no HTML response records`));
    } catch (error) {
      sources.push(failing(file, (error as Error).message));
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      sources.push(stdinSource(options.stdin));
    } else if (isHttpUrl(input)) {
      sources.push(urlSource(input, options));
    } else if (isDynamicPattern(input) && !(await exists(input))) {
      const matches = (await glob(input, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
      if (matches.length === 0) sources.push(failing(input, `${input}: no files match this pattern`));
      for (const match of matches) await addFile(match);
    } else {
      for (const entry of await expandInputs([input])) {
        if (entry.error) sources.push(failing(entry.path, entry.error));
        else await addFile(entry.path);
      }
    }
  }
  return { sources, skipped };
}

function failing(label: string, message: string): PageSource {
  return { label, rawName: label.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '') || 'input', load: () => Promise.reject(new ClearcopyError('INPUT_NOT_FOUND', message, { file: label })) };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
