import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClearcopyError } from './errors.js';

/** Windows device names that cannot be file names on any platform clearcopy supports. */
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * Makes a safe output name from an input name: letters, digits, `-`, `_` and `.` only, no leading
 * dot, no `..`, no reserved device name, at most 100 characters, never empty.
 */
export function safeName(raw: string): string {
  let name = raw.normalize('NFKC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '');
  name = [...name].slice(0, 100).join('');
  if (!name) name = 'page';
  if (RESERVED_NAMES.test(name.split('.')[0]!)) name = `_${name}`;
  return name;
}

/** Safe output names, unique case-insensitively, handed out in input order (`name`, `name-2`, `name-3`…). */
export class NameAllocator {
  private readonly used = new Set<string>();
  next(raw: string): string {
    const base = safeName(raw);
    let name = base;
    for (let i = 2; this.used.has(name.toLowerCase()); i++) name = `${base}-${i}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** Assigns each raw name a safe one, unique case-insensitively (`name`, `name-2`, `name-3`…). */
export function uniqueNames(raws: readonly string[]): string[] {
  const names = new NameAllocator();
  return raws.map((raw) => names.next(raw));
}

/**
 * Writes a file atomically inside `dir`: to a temporary file beside it, then renamed over the
 * target, so a reader never sees half a file. Refuses any path that would land outside `dir`.
 */
export async function writeFileAtomic(dir: string, relative: string, content: string): Promise<string> {
  const root = path.resolve(dir);
  const target = path.resolve(root, relative);
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new ClearcopyError('OUTPUT_FAILED', `${relative}: refusing to write outside the output folder ${dir}`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemps.add(temp);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new ClearcopyError('OUTPUT_FAILED', `${target}: could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  } finally {
    pendingTemps.delete(temp);
  }
  return target;
}

/** Temporary files being written right now (see {@link removePendingTemps}). */
const pendingTemps = new Set<string>();

/** Counts a temporary file written elsewhere (a book being made) among those a hurried exit removes; call the result when it is gone or renamed. */
export function holdTemp(temp: string): () => void {
  pendingTemps.add(temp);
  return () => void pendingTemps.delete(temp);
}

/**
 * Removes, synchronously, the temporary files of writes still in progress: for a process that is
 * about to exit before they finish (a second Ctrl-C), so an interrupted run leaves no stray file.
 * Targets are untouched: each is either its old content or the new one, never half of it.
 */
export function removePendingTemps(): number {
  let removed = 0;
  for (const temp of pendingTemps) {
    try {
      rmSync(temp, { force: true });
      removed++;
    } catch {
      // nothing more can be done on the way out
    }
  }
  pendingTemps.clear();
  return removed;
}
