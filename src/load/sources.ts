// The one input expander every command uses: what a user typed (files, folders, globs, `-`, http(s)
// URLs, archives) becomes page sources, read only when the run asks for them.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ClearcopyError } from '../errors.js';
import { HTML_EXTENSIONS, loadFile } from './file.js';
import { expandInputs } from './inputs.js';
import { isHttpUrl, urlSource, type FetchOptions } from './remote.js';
import type { PageSource } from './source.js';
import { stdinSource } from './stdin.js';
import { isWarcPath, listWarc } from './warc.js';
import { isWaczPath, listWacz } from './wacz.js';
import { isMhtmlPath, mhtmlSource } from './mhtml.js';

export type { PageSource } from './source.js';

/** What expanding the inputs found. */
export interface SourceListing {
  sources: PageSource[];
  /** Archive records skipped, by reason (WARC: `revisit`, `nonHtml`, `notOk`, `other`), summed over all archives. */
  skipped: Record<string, number>;
}

/** Options for {@link sourcesFromInputs}. */
export interface ExpandOptions extends FetchOptions {
  /** What `-` reads (default: `process.stdin`). */
  stdin?: NodeJS.ReadableStream;
}

/**
 * A file kind that holds pages of its own (an archive): a file it `matches` is listed into one
 * source per page instead of being read as one HTML page, and folders are searched for it too.
 */
export interface ArchiveKind {
  /** Names the kind in messages ("the WARC holds no HTML response records"). */
  name: string;
  matches(file: string): boolean;
  /** One source per page in the archive, and counts of the records skipped, by reason. */
  list(file: string): Promise<{ sources: PageSource[]; skipped: Record<string, number> }>;
  /** Why an archive without a page is refused (one line after the file name). */
  empty: string;
}

/** Archive kinds, in the order they are tried. Adding one is one entry here. */
export const ARCHIVE_KINDS: readonly ArchiveKind[] = [
  { name: 'WARC', matches: isWarcPath, list: listWarc, empty: 'the WARC holds no HTML response records' },
  // One source per page the crawler listed, then per other HTML capture.
  { name: 'WACZ', matches: isWaczPath, list: async (file) => ({ sources: await listWacz(file), skipped: {} }), empty: 'the WACZ lists no pages and holds no HTML captures' },
  // One page per file (its images are parts of the same file).
  { name: 'MHTML', matches: isMhtmlPath, list: async (file) => ({ sources: [mhtmlSource(file)], skipped: {} }), empty: 'the MHTML file holds no HTML page' },
];

/** True for a file a folder walk takes: an HTML page or an archive of a known kind. */
export function isPageFile(file: string): boolean {
  return HTML_EXTENSIONS.includes(path.extname(file).toLowerCase()) || ARCHIVE_KINDS.some((kind) => kind.matches(file));
}

/** Page sources for files and folders (recursively); a missing path becomes a source that fails with a clear message. */
export async function sourcesFromPaths(inputs: readonly string[]): Promise<PageSource[]> {
  return (await sourcesFromInputs(inputs)).sources;
}

/**
 * Expands what a user typed into page sources, in order and without duplicates: `-` (standard
 * input), http(s) URLs, globs (`node_modules` skipped), folders (recursively: HTML files and
 * archives), HTML files, and archives of each {@link ARCHIVE_KINDS} kind (one source per page).
 * Inputs that name no page (missing, matching nothing, another URL scheme, an empty archive) become
 * sources that fail with a one-line reason, so a run never passes on nothing.
 */
export async function sourcesFromInputs(inputs: readonly string[], options: ExpandOptions = {}): Promise<SourceListing> {
  const skipped: Record<string, number> = {};
  const sources: PageSource[] = [];
  const seen = new Set<string>();
  const add = (source: PageSource) => {
    if (seen.has(source.label)) return;
    seen.add(source.label);
    sources.push(source);
  };
  const addFile = async (file: string) => {
    const kind = ARCHIVE_KINDS.find((candidate) => candidate.matches(file));
    if (!kind) {
      add({ label: file, rawName: baseName(file), address: { kind: 'file', path: file }, load: (o) => loadFile(file, o), ref: { kind: 'file', path: file } });
      return;
    }
    try {
      const listing = await kind.list(file);
      for (const source of listing.sources) add(source);
      for (const [reason, count] of Object.entries(listing.skipped)) skipped[reason] = (skipped[reason] ?? 0) + count;
      if (listing.sources.length === 0) add(failing(file, `${file}: ${kind.empty}`));
    } catch (error) {
      add(failing(file, (error as Error).message));
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      add(stdinSource(options.stdin));
    } else if (isHttpUrl(input)) {
      let valid = true;
      try {
        new URL(input);
      } catch {
        valid = false;
      }
      add(valid ? { ...urlSource(input, options), address: { kind: 'url', url: input } } : failing(input, `${input}: not a valid URL`));
    } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(input)) {
      add(failing(input, `${input}: only http and https URLs can be read (give local files as paths)`));
    } else if (isDynamicPattern(input) && !(await exists(input))) {
      const matches = (await glob(input, { onlyFiles: true, dot: false, expandDirectories: false, ignore: ['**/node_modules/**'] })).sort();
      if (matches.length === 0) add(failing(input, `${input}: no files match this pattern`));
      for (const match of matches) await addFile(match);
    } else {
      for (const entry of await expandInputs([input], isPageFile)) {
        if (entry.error) add(failing(entry.path, entry.error));
        else await addFile(entry.path);
      }
    }
  }
  return { sources, skipped };
}

/** A file's name without folder and extension. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '');
}

/** A source that fails with `message` when it is read (an input that names no page). */
export function failing(label: string, message: string): PageSource {
  return { label, rawName: baseName(label) || 'input', load: () => Promise.reject(new ClearcopyError('INPUT_NOT_FOUND', message, { file: label })), ref: { kind: 'failing', code: 'INPUT_NOT_FOUND', message } };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
