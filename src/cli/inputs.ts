// What `clearcopy audit` (and `check`) take: files, folders, globs and http(s) URLs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { expandInputs } from '../load/inputs.js';
import type { PageSource } from '../load/sources.js';

/** One page to audit, or an input that names none (it becomes a failed page). */
export interface AuditInput {
  /** The page as reports name it: a path relative to the working directory where possible, or the URL. */
  label: string;
  /** Raw output name (made safe and unique later). */
  rawName: string;
  kind: 'file' | 'url' | 'source';
  /** Set when the input cannot be audited (missing, matches nothing, unsupported scheme). */
  error?: string;
  /** For a page inside an archive or an MHTML file (`kind: 'source'`): how to read it. */
  source?: PageSource;
}

/** Files that hold pages to be read by a loader rather than as HTML (WARC, WACZ, MHTML). */
const CONTAINER = /\.(warc(\.gz)?|wacz|mht|mhtml)$/i;

const GLOB_CHARS = /[*?[\]{}]/;

/** A path as reports show it: relative to `cwd` when inside it, else as given. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}

/**
 * Expands inputs in order, without duplicates: http(s) URLs as they are; files as given, each page
 * of a WARC, WACZ or MHTML file as its own input; folders walked for .html/.htm/.xhtml (and those); anything else with glob characters expanded with tinyglobby
 * (node_modules skipped). A missing path, a glob matching nothing or another URL scheme becomes an
 * entry with an error, so the run fails instead of passing on nothing.
 */
export async function expandAuditInputs(inputs: readonly string[], cwd: string = process.cwd()): Promise<AuditInput[]> {
  const result: AuditInput[] = [];
  const seen = new Set<string>();
  const add = (entry: AuditInput) => {
    if (seen.has(entry.label)) return;
    seen.add(entry.label);
    result.push(entry);
  };
  const addFile = async (file: string, error?: string) => {
    const label = displayPath(file, cwd);
    if (!error && CONTAINER.test(file)) {
      // Each page of an archive (or the page of an MHTML file), read by the same expander as render's.
      const { sourcesFromInputs } = await import('../load/sources.js');
      for (const source of (await sourcesFromInputs([label])).sources) add({ label: source.label, rawName: source.rawName, kind: 'source', source });
      return;
    }
    add({ label, rawName: path.basename(label).replace(/\.[^.]+$/, ''), kind: 'file', ...(error ? { error } : {}) });
  };
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      let url: URL | undefined;
      try {
        url = new URL(input);
      } catch {
        add({ label: input, rawName: 'page', kind: 'url', error: `${input}: not a valid URL` });
        continue;
      }
      add({ label: url.href, rawName: url.pathname.split('/').filter(Boolean).pop()?.replace(/\.[^.]+$/, '') || url.hostname, kind: 'url' });
    } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(input)) {
      add({ label: input, rawName: 'page', kind: 'url', error: `${input}: only http and https URLs can be audited (give local files as paths)` });
    } else if (!existsSync(path.resolve(cwd, input)) && GLOB_CHARS.test(input)) {
      const matches = await glob(input, { cwd, onlyFiles: true, dot: false, expandDirectories: false, ignore: ['**/node_modules/**'] });
      if (matches.length === 0) await addFile(input, `${input}: no files match this pattern`);
      for (const match of matches.sort()) await addFile(path.join(cwd, match));
    } else {
      for (const entry of await expandInputs([path.resolve(cwd, input)])) await addFile(entry.path, entry.error ? `${input}: ${entry.error.replace(/^.*?: /, '')}` : undefined);
    }
  }
  return result;
}
