// clearcopy.config.json / clearcopy.config.mjs: found upward from the working directory (or named
// with --config), validated with zod so a typo names the key, the file and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Standard } from '../audit/auditor.js';
import type { IssueLevel } from '../audit/pa11y-scripts.js';
import { ClearcopyError } from '../errors.js';
import { fromPa11yCi, isPa11yCiConfig } from './pa11yci.js';

/** Config file names looked for in each folder, in order. */
export const CONFIG_FILES = ['clearcopy.config.json', 'clearcopy.config.mjs'];

/** WCAG levels (the auditor's `STANDARDS`, repeated here so reading a config loads no browser code). */
export const STANDARD_NAMES = ['WCAG2A', 'WCAG2AA', 'WCAG2AAA'] as const satisfies readonly Standard[];

/** pa11y's issue levels (the auditor's `ISSUE_LEVELS`, repeated here for the same reason). */
export const ISSUE_LEVEL_NAMES = ['error', 'warning', 'notice'] as const satisfies readonly IssueLevel[];

/** Report formats a config or `--reporter` may name. */
export const FORMATS = ['cli', 'json', 'html', 'junit', 'sarif', 'markdown', 'csv'] as const;

const FailOn = z.enum(['error', 'warning', 'notice', 'never']);
const Codes = z.array(z.string().min(1));
const Globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** pa11y actions (`click element #x`, `set field #y to z`, `wait for …`); checked when the run starts. */
const Actions = z.array(z.string().min(1));
const Viewport = z.strictObject({ width: z.int().min(1), height: z.int().min(1), deviceScaleFactor: z.number().positive().optional(), isMobile: z.boolean().optional() });
const Headers = z.record(z.string(), z.string());

/** How a page is loaded before the audit (`clearcopy audit`), run-wide or per page. */
const LoadKeys = {
  actions: Actions.optional(),
  wait: z.int().min(0).optional(),
  waitFor: z.string().min(1).optional(),
};

/** Overrides for pages matching `match` (globs relative to the config file's folder, or URL globs). */
const PageOverride = z.strictObject({
  match: Globs,
  ignore: Codes.optional(),
  failOn: FailOn.optional(),
  rootElement: z.string().min(1).optional(),
  hideElements: z.string().min(1).optional(),
  ...LoadKeys,
});

/** A page to audit named in the config: a URL or a path (relative to the config), with its own loading. */
const UrlEntry = z.union([
  z.string().min(1),
  z.strictObject({ url: z.string().min(1), rootElement: z.string().min(1).optional(), hideElements: z.string().min(1).optional(), ignore: Codes.optional(), headers: Headers.optional(), viewport: Viewport.optional(), ...LoadKeys }),
]);

/** A reporter: `"format"`, `"format=path"`, or `{ "format": …, "output": … }`. */
const ReporterEntry = z.union([
  z.string().regex(new RegExp(`^(${FORMATS.join('|')})(=.+)?$`), { error: `expected "FORMAT" or "FORMAT=PATH" with FORMAT one of ${FORMATS.join(', ')}` }),
  z.strictObject({ format: z.enum(FORMATS), output: z.string().min(1).optional() }),
]);

/** The configuration file's schema. Every key is optional; unknown keys are errors. */
export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  standard: z.enum(STANDARD_NAMES).optional(),
  runners: z.array(z.enum(['htmlcs', 'axe'])).min(1).optional(),
  failOn: FailOn.optional(),
  threshold: z.int().min(0).optional(),
  ignore: Codes.optional(),
  rootElement: z.string().min(1).optional(),
  hideElements: z.string().min(1).optional(),
  timeout: z.int().min(1).optional(),
  levelCapWhenNeedsReview: z.enum(ISSUE_LEVEL_NAMES).optional(),
  concurrency: z.int().min(1).optional(),
  chrome: z.string().min(1).optional(),
  maxBytes: z.int().min(1).optional(),
  /** The language of clearcopy's own words in the copies (as --ui-lang). */
  uiLang: z.string().refine(isLanguageTag, { error: 'expected a language tag such as de, pt-BR or zh-Hant' }).transform((tag) => Intl.getCanonicalLocales(tag)[0]!).optional(),
  baseline: z.string().min(1).optional(),
  reporters: z.array(ReporterEntry).optional(),
  pages: z.array(PageOverride).optional(),
  // `clearcopy audit`: how pages are loaded, and pages to audit besides the command line's.
  scripts: z.boolean().optional(),
  root: z.string().min(1).optional(),
  blockHosts: z.array(z.string().min(1)).optional(),
  viewport: Viewport.optional(),
  headers: Headers.optional(),
  ...LoadKeys,
  urls: z.array(UrlEntry).optional(),
  sitemap: z.string().min(1).optional(),
  sitemapFind: z.string().min(1).optional(),
  sitemapReplace: z.string().optional(),
  sitemapExclude: z.string().min(1).optional(),
});

/** How a page is loaded before its audit (config keys of the same names). */
export interface PageLoading {
  actions?: string[];
  /** pa11y's `wait`, in ms. */
  wait?: number;
  waitFor?: string;
  rootElement?: string;
  hideElements?: string;
  /** Rule codes pa11y's runner drops for this page (pa11y's per-URL `ignore`). */
  ignore?: string[];
  headers?: Record<string, string>;
  viewport?: { width: number; height: number; deviceScaleFactor?: number; isMobile?: boolean };
}

/** A validated configuration, with its paths resolved: the schema's types (`z.infer`), with `file`
 * added, `baseline` and reporter outputs made relative to the working directory, `chrome`, `root`
 * and `sitemap` resolved when they are paths, each page rule's `match` a list of globs, and each of
 * `urls` a location (URL or resolved path) with its own loading. */
export type Config = Omit<z.infer<typeof ConfigSchema>, '$schema' | 'reporters' | 'pages' | 'urls'> & {
  /** The file it came from. */
  file: string;
  reporters?: { format: string; output?: string }[];
  pages?: (Omit<z.infer<typeof PageOverride>, 'match'> & { match: string[] })[];
  /** Pages to audit besides the command line's: URLs, or paths resolved against the config's folder. */
  urls?: { location: string; loading?: PageLoading }[];
  /** The config was pa11y-ci's (`.pa11yci`), read as pa11y-ci reads it. */
  pa11yCi?: boolean;
  /** One line per option of the file that clearcopy does not support (never silently dropped). */
  unsupported?: string[];
};

/** Finds the nearest config file from `cwd` upward; undefined when there is none. */
export function findConfig(cwd: string = process.cwd()): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Loads and validates a config file (`.json`, or a module: `.mjs` with a default export, `.js` or
 * `.cjs` with a default export or `module.exports`, as pa11y-ci reads a `.pa11yci.js`). Paths in it are
 * relative to its folder. Throws a `USAGE` error (exit 2) whose message names the file, the key
 * and what was expected.
 */
export async function loadConfig(file: string, cwd: string = process.cwd()): Promise<Config> {
  const shown = path.relative(cwd, file) || file;
  let raw: unknown;
  if (!existsSync(file)) throw new ClearcopyError('USAGE', `${shown}: config file not found`, { file });
  if (/\.(mjs|cjs|js)$/.test(file)) {
    try {
      const module = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
      raw = module.default;
    } catch (error) {
      throw new ClearcopyError('USAGE', `${shown}: the config module failed to load (${(error as Error).message.split('\n')[0]})`, { file, cause: error });
    }
    if (raw === undefined) throw new ClearcopyError('USAGE', `${shown}: the config module has no default export (write \`export default { … }\`)`, { file });
  } else {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ClearcopyError('USAGE', `${shown}: not valid JSON (${(error as Error).message.split('\n')[0]})`, { file, cause: error });
    }
  }
  if (isPa11yCiConfig(file, raw)) return fromPa11yCi(raw, file, cwd);
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ClearcopyError('USAGE', `${shown}: ${describeIssue(parsed.error.issues, raw)}`, { file });
  return resolveConfig(parsed.data, file, cwd);
}

function resolveConfig(data: z.infer<typeof ConfigSchema>, file: string, cwd: string): Config {
  const dir = path.dirname(path.resolve(file));
  const relative = (p: string) => path.relative(cwd, path.resolve(dir, p)) || '.';
  const { $schema: _schema, reporters, pages, baseline, chrome, urls, root, sitemap, ...rest } = data;
  const config: Config = { file, ...rest };
  if (baseline) config.baseline = relative(baseline);
  if (root) config.root = path.resolve(dir, root);
  if (sitemap) config.sitemap = /^[a-z]+:\/\//i.test(sitemap) ? sitemap : path.resolve(dir, sitemap);
  if (urls) {
    config.urls = urls.map((entry) => {
      const { url, ...loading } = typeof entry === 'string' ? { url: entry } : entry;
      return { location: /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : path.resolve(dir, url), ...(Object.keys(loading).length ? { loading } : {}) };
    });
  }
  if (chrome) config.chrome = chrome.includes('/') || chrome.includes('\\') ? path.resolve(dir, chrome) : chrome;
  if (reporters) {
    config.reporters = reporters.map((entry) => {
      const { format, output } = typeof entry === 'string' ? splitReporter(entry) : entry;
      return output && output !== '-' ? { format, output: relative(output) } : { format };
    });
  }
  if (pages) {
    config.pages = pages.map(({ match, ...override }) => ({
      ...override,
      match: (Array.isArray(match) ? match : [match]).map((glob) => (/^[a-z]+:\/\//i.test(glob) || glob.startsWith('**') ? glob : relative(glob).split(path.sep).join('/'))),
    }));
  }
  return config;
}

/** Splits `format=path` into its parts. */
export function splitReporter(entry: string): { format: string; output?: string } {
  const at = entry.indexOf('=');
  return at === -1 ? { format: entry } : { format: entry.slice(0, at), output: entry.slice(at + 1) };
}

/** One line for the first problem zod found: where, what was expected, what was there. */
function describeIssue(issues: readonly z.core.$ZodIssue[], raw: unknown): string {
  const issue = issues[0]!;
  const where = (keys: readonly PropertyKey[]) => (keys.length ? keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') : 'the top level');
  const got = describeValue(valueAt(raw, issue.path));
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(issue.path);
      const key = issue.keys[0]!;
      const hint = closest(key, known);
      return `unknown key "${key}" in ${where(issue.path)}${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of: ${known.join(', ')}`;
    }
    case 'invalid_value':
      return `${where(issue.path)}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`;
    case 'invalid_type':
      return `${where(issue.path)}: expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}, got ${got}`;
    case 'too_small':
      return `${where(issue.path)}: expected ${issue.origin === 'array' ? `at least ${String(issue.minimum)} item(s)` : issue.origin === 'string' ? 'a non-empty string' : `at least ${String(issue.minimum)}`}, got ${got}`;
    case 'invalid_union': {
      const deepest = issue.errors.flat().sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest && deepest.code !== 'invalid_type') return describeIssue([{ ...deepest, path: [...issue.path, ...deepest.path] } as z.core.$ZodIssue], raw);
      return `${where(issue.path)}: ${issue.message.replace(/^Invalid input/, 'unexpected value')}, got ${got}`;
    }
    default:
      return `${where(issue.path)}: ${issue.message}, got ${got}`;
  }
}

function knownKeys(at: readonly PropertyKey[]): string[] {
  if (at[0] === 'pages') return Object.keys(PageOverride.shape);
  if (at[0] === 'reporters') return ['format', 'output'];
  if (at[0] === 'urls') return ['url', 'rootElement', 'hideElements', 'ignore', 'headers', 'viewport', ...Object.keys(LoadKeys)];
  if (at[0] === 'viewport' || at.includes('viewport')) return Object.keys(Viewport.shape);
  return Object.keys(ConfigSchema.shape);
}

function valueAt(value: unknown, keys: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of keys) current = current && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value && typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known key nearest to a typo (case-insensitive edit distance ≤ 3), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
