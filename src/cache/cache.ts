// The incremental-run cache: one JSON file per page result, keyed by everything that decides it
// (the decoded input, its name and address, clearcopy's version and code, the dependencies that
// extract and audit, the templates, and every option that changes a copy or a finding).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CACHE_DIR as DEFAULTS_CACHE_DIR } from '../defaults.js';
import type { PageResult } from '../model/run-result.js';
import { writeFileAtomic } from '../output.js';
import { VERSION } from '../version.js';

/** The cache folder used when none is given: `.cache/clearcopy` in the working directory. */
export const DEFAULT_CACHE_DIR = path.normalize(DEFAULTS_CACHE_DIR);

/** What a cache entry keeps of a page: its result and the two copies to restore in the out folder. */
export interface CacheEntry {
  schema: 1;
  key: string;
  /** The page's result without where and when it was made (`input`, `outputs`, `durationMs`). */
  result: Omit<PageResult, 'input' | 'outputs' | 'durationMs'>;
  /** The HTML and text copies, when extraction succeeded. */
  copies?: { html: string; text: string };
}

/** A folder of cache entries, two-level like git's objects (`ab/abcdef….json`). */
export class PageCache {
  constructor(readonly dir: string) {}

  /** The entry for `key`, or undefined when there is none or it cannot be read. */
  async get(key: string): Promise<CacheEntry | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.#file(key), 'utf8')) as CacheEntry;
      return entry.schema === 1 && entry.key === key ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores an entry (atomically: a reader sees the old file or the new one). */
  async put(entry: CacheEntry): Promise<void> {
    await writeFileAtomic(this.dir, path.relative(this.dir, this.#file(entry.key)), JSON.stringify(entry));
  }

  #file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

/** SHA-256 in hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A cache key: the hash of the JSON of its parts (give them in a fixed order). */
export function cacheKey(parts: unknown): string {
  return sha256(JSON.stringify(parts));
}

let codeFingerprintMemo: string | undefined;

/**
 * What "the same clearcopy" means for the cache: its version, a hash of its own code (so a changed
 * build never serves stale results, even without a version bump; the CLI and reporters, which only
 * present results, are left out), and the versions of the packages
 * that extract and audit (Readability, jsdom, pa11y, axe-core, HTML_CodeSniffer).
 */
export function codeFingerprint(): string {
  if (codeFingerprintMemo) return codeFingerprintMemo;
  const hash = createHash('sha256').update(`clearcopy ${VERSION}\n`);
  const codeDir = fileURLToPath(new URL('..', import.meta.url));
  // Everything but the presentation layer (the CLI and the reporters only show a run's results).
  const presentation = new Set(['cli', 'report']);
  const files = listFiles(codeDir).filter((f) => /\.(js|ts|mjs)$/.test(f) && !f.endsWith('.d.ts') && !presentation.has(path.relative(codeDir, f).split(path.sep)[0]!));
  for (const file of files) {
    hash.update(`${path.relative(codeDir, file)}\n`).update(readFileSync(file)).update('\n');
  }
  const require = createRequire(import.meta.url);
  for (const name of ['@mozilla/readability', 'jsdom', 'pa11y', 'axe-core', '@pa11y/html_codesniffer', 'handlebars']) {
    hash.update(`${name}@${packageVersion(require, name)}\n`);
  }
  codeFingerprintMemo = hash.digest('hex');
  return codeFingerprintMemo;
}

/** A hash of every file in a templates folder (names and contents). */
export function folderFingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(dir)) hash.update(`${path.relative(dir, file)}\n`).update(readFileSync(file)).update('\n');
  return hash.digest('hex');
}

function packageVersion(require: NodeJS.Require, name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    for (;;) {
      const candidate = path.join(dir, 'package.json');
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? '?';
      } catch {
        // not here
      }
      const parent = path.dirname(dir);
      if (parent === dir) return '?';
      dir = parent;
    }
  } catch {
    return 'missing';
  }
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return files;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    let info;
    try {
      info = statSync(full);
    } catch {
      continue;
    }
    if (info.isDirectory()) files.push(...listFiles(full));
    else if (info.isFile()) files.push(full);
  }
  return files;
}
