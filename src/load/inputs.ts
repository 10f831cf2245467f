import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** One input to process, or one that could not be found. */
export interface InputEntry {
  path: string;
  /** Set when the input does not exist or cannot be listed: the run reports it as a failed page. */
  error?: string;
}

/**
 * Expands files and folders into the list of HTML files to process: folders are walked
 * recursively for the files `wanted` takes (sorted by path, hidden entries and `node_modules`
 * skipped); files are taken as given, whatever their extension. A missing path becomes an entry
 * with an error.
 */
export async function expandInputs(inputs: readonly string[], wanted: (file: string) => boolean): Promise<InputEntry[]> {
  const entries: InputEntry[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      entries.push({ path: input, error: `${input}: no such file or folder` });
      continue;
    }
    if (!info.isDirectory()) {
      entries.push({ path: input });
      continue;
    }
    const found = await walk(input, wanted);
    if (found.length === 0) entries.push({ path: input, error: `${input}: folder holds no .html or .warc files` });
    for (const file of found) entries.push({ path: file });
  }
  return entries;
}

async function walk(dir: string, wanted: (file: string) => boolean): Promise<string[]> {
  const files: string[] = [];
  const items = await readdir(dir, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const item of items) {
    if (item.name.startsWith('.') || item.name === 'node_modules') continue;
    const full = path.join(dir, item.name);
    if (item.isDirectory()) files.push(...(await walk(full, wanted)));
    else if (item.isFile() && wanted(item.name)) files.push(full);
  }
  return files;
}
