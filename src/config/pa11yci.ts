// pa11y-ci's config (`.pa11yci`, `.pa11yci.json`) read as pa11y-ci 4 reads it, translated into
// clearcopy's Config, so a pa11y-ci user switches with one changed command:
// `clearcopy audit --config .pa11yci`. What pa11y would default differently from clearcopy is set
// as pa11y sets it (runners, timeout, the level of axe's "needs review" results, the issue levels
// that count), so the verdict is pa11y-ci's; an option clearcopy does not support is named in one
// line (`unsupported`), never dropped silently.
import path from 'node:path';
import { z } from 'zod';
import { ClearcopyError } from '../errors.js';
import type { Config, PageLoading } from './index.js';

/** True for a file named like pa11y-ci's config, or JSON shaped like one (`defaults` or `urls`, nothing of clearcopy's). */
export function isPa11yCiConfig(file: string, raw: unknown): boolean {
  if (/^\.pa11yci(\.json|\.js|\.cjs)?$/.test(path.basename(file))) return true;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const keys = Object.keys(raw);
  return keys.includes('defaults') && keys.every((key) => ['defaults', 'urls', 'concurrency'].includes(key));
}

const Standard = z.enum(['WCAG2A', 'WCAG2AA', 'WCAG2AAA']);
const Runners = z.array(z.enum(['htmlcs', 'axe'], { error: 'clearcopy runs pa11y\'s built-in runners "htmlcs" and "axe"' })).min(1);
const Level = z.enum(['error', 'warning', 'notice']);
const Viewport = z.looseObject({ width: z.int().min(1), height: z.int().min(1), deviceScaleFactor: z.number().positive().optional(), isMobile: z.boolean().optional() });

/** pa11y's options that clearcopy takes, with their types (pa11y's own names). */
const OPTION_TYPES = {
  standard: Standard,
  runners: Runners,
  timeout: z.int().min(1),
  wait: z.int().min(0),
  hideElements: z.string(),
  rootElement: z.string(),
  ignore: z.array(z.string()),
  actions: z.array(z.string()),
  viewport: Viewport,
  headers: z.record(z.string(), z.string()),
  levelCapWhenNeedsReview: Level,
  includeNotices: z.boolean(),
  includeWarnings: z.boolean(),
  threshold: z.int().min(0),
  concurrency: z.int().min(1),
  chromeLaunchConfig: z.looseObject({}),
  useIncognitoBrowserContext: z.boolean(),
  reporters: z.array(z.unknown()),
  screenCapture: z.string(),
} as const;
type OptionName = keyof typeof OPTION_TYPES;

/** Options only meaningful run-wide; in a `urls` entry they are named as unsupported. */
const RUN_WIDE: readonly OptionName[] = ['standard', 'runners', 'timeout', 'levelCapWhenNeedsReview', 'includeNotices', 'includeWarnings', 'threshold', 'concurrency', 'chromeLaunchConfig', 'useIncognitoBrowserContext', 'reporters'];

/** Why a pa11y option is not taken, for the one-line note. */
const WHY_NOT: Record<string, string> = {
  method: 'pages are loaded with GET',
  postData: 'pages are loaded with GET',
  userAgent: "clearcopy sends pa11y's own user agent",
  rules: 'extra HTML_CodeSniffer rules are not supported',
  log: 'clearcopy prints its own progress',
  wrapWidth: 'clearcopy prints its own progress',
  browser: 'clearcopy launches its own browser',
  page: 'clearcopy opens its own pages',
  ignoreUrl: 'every page is opened by its address',
};

/**
 * Translates a parsed pa11y-ci config into clearcopy's Config. Paths in `urls` (and `file://`
 * URLs) become local files resolved against the config's folder; http(s) URLs stay URLs. Throws a
 * `USAGE` error naming the file and the option for a value of the wrong type.
 */
export function fromPa11yCi(raw: unknown, file: string, cwd: string = process.cwd()): Config {
  const shown = path.relative(cwd, file) || file;
  const fail = (where: string, message: string): never => {
    throw new ClearcopyError('USAGE', `${shown}: ${where}: ${message}`, { file });
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('the top level', 'expected an object with "defaults" and "urls" (a pa11y-ci config)');
  const top = raw as Record<string, unknown>;
  const dir = path.dirname(path.resolve(file));
  const unsupported: string[] = [];
  // pa11y's own defaults where they differ from clearcopy's: htmlcs alone, 60 s, needs-review as error.
  const config: Config = { file, pa11yCi: true, runners: ['htmlcs'], timeout: 60_000, levelCapWhenNeedsReview: 'error' };

  const read = <K extends OptionName>(name: K, value: unknown, where: string): z.infer<(typeof OPTION_TYPES)[K]> => {
    const parsed = OPTION_TYPES[name].safeParse(value);
    if (!parsed.success) fail(where, `${parsed.error.issues[0]?.message ?? 'unexpected value'} (got ${JSON.stringify(value)})`);
    return parsed.data as z.infer<(typeof OPTION_TYPES)[K]>;
  };

  for (const key of Object.keys(top)) {
    if (!['defaults', 'urls', 'concurrency', 'sitemap', 'sitemapFind', 'sitemapReplace', 'sitemapExclude'].includes(key)) unsupported.push(`${key}: not a pa11y-ci config key`);
  }
  if (top.concurrency !== undefined) config.concurrency = read('concurrency', top.concurrency, 'concurrency');
  for (const key of ['sitemap', 'sitemapFind', 'sitemapReplace', 'sitemapExclude'] as const) {
    const value = top[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') fail(key, 'expected a string');
    if (key === 'sitemap') config.sitemap = /^[a-z]+:\/\//i.test(value as string) ? (value as string) : path.resolve(dir, value as string);
    else config[key] = value as string;
  }

  const defaults = top.defaults ?? {};
  if (typeof defaults !== 'object' || Array.isArray(defaults)) fail('defaults', 'expected an object');
  let failOn: Config['failOn'] = 'error';
  for (const [key, value] of Object.entries(defaults as Record<string, unknown>)) {
    const where = `defaults.${key}`;
    if (!(key in OPTION_TYPES)) {
      unsupported.push(`${where}: ${WHY_NOT[key] ?? 'not a pa11y option clearcopy knows'}`);
      continue;
    }
    const name = key as OptionName;
    switch (name) {
      case 'standard': config.standard = read(name, value, where); break;
      case 'runners': config.runners = read(name, value, where); break;
      case 'timeout': config.timeout = read(name, value, where); break;
      case 'wait': config.wait = read(name, value, where); break;
      case 'hideElements': { const v = read(name, value, where); if (v) config.hideElements = v; break; }
      case 'rootElement': { const v = read(name, value, where); if (v) config.rootElement = v; break; }
      case 'ignore': config.ignore = read(name, value, where); break;
      case 'actions': config.actions = read(name, value, where); break;
      case 'viewport': config.viewport = viewportOf(read(name, value, where), where, unsupported); break;
      case 'headers': config.headers = read(name, value, where); break;
      case 'levelCapWhenNeedsReview': config.levelCapWhenNeedsReview = read(name, value, where); break;
      // pa11y-ci fails a page on every issue pa11y returns; these make warnings and notices count.
      case 'includeWarnings': if (read(name, value, where) && failOn === 'error') failOn = 'warning'; break;
      case 'includeNotices': if (read(name, value, where)) failOn = 'notice'; break;
      case 'threshold': config.threshold = read(name, value, where); break;
      case 'concurrency': config.concurrency = read(name, value, where); break;
      case 'screenCapture': config.actions = [...(config.actions ?? []), `screen capture ${read(name, value, where)}`]; break;
      case 'useIncognitoBrowserContext':
        if (read(name, value, where) === false) unsupported.push(`${where}: false is not supported; every page gets a fresh browser context`);
        break;
      case 'chromeLaunchConfig': {
        for (const [option, setting] of Object.entries(read(name, value, where))) {
          if (option === 'executablePath' && typeof setting === 'string') config.chrome = setting.includes('/') || setting.includes('\\') ? path.resolve(dir, setting) : setting;
          else if ((option === 'ignoreHTTPSErrors' || option === 'acceptInsecureCerts') && setting === true) continue; // clearcopy's default too
          else unsupported.push(`${where}.${option}: clearcopy launches Chromium with its own settings`);
        }
        break;
      }
      case 'reporters': {
        const reporters = read(name, value, where);
        const taken: { format: string }[] = [];
        for (const reporter of reporters) {
          if (reporter === 'cli' || reporter === 'json') taken.push({ format: reporter });
          else unsupported.push(`${where}: ${JSON.stringify(reporter)} (use --reporter: cli, json, html, junit, sarif, markdown, csv)`);
        }
        if (taken.length) config.reporters = taken;
        break;
      }
    }
  }
  config.failOn = failOn;

  const urls = top.urls ?? [];
  if (!Array.isArray(urls)) fail('urls', 'expected a list of URLs or objects with a "url"');
  config.urls = (urls as unknown[]).map((entry, index) => {
    const where = `urls[${index}]`;
    if (typeof entry === 'string') return { location: locationOf(entry, dir) };
    if (!entry || typeof entry !== 'object' || typeof (entry as { url?: unknown }).url !== 'string') fail(where, 'expected a URL or an object with a "url"');
    const { url, ...options } = entry as Record<string, unknown> & { url: string };
    const loading: PageLoading = {};
    for (const [key, value] of Object.entries(options)) {
      const at = `${where}.${key}`;
      if (!(key in OPTION_TYPES) || RUN_WIDE.includes(key as OptionName)) {
        unsupported.push(`${at}: ${WHY_NOT[key] ?? (key in OPTION_TYPES ? 'only supported in defaults' : 'not a pa11y option clearcopy knows')}`);
        continue;
      }
      const name = key as OptionName;
      switch (name) {
        case 'actions': loading.actions = [...(loading.actions ?? []), ...read(name, value, at)]; break;
        case 'wait': loading.wait = read(name, value, at); break;
        case 'hideElements': loading.hideElements = read(name, value, at); break;
        case 'rootElement': loading.rootElement = read(name, value, at); break;
        case 'ignore': loading.ignore = read(name, value, at); break;
        case 'headers': loading.headers = read(name, value, at); break;
        case 'viewport': loading.viewport = viewportOf(read(name, value, at), at, unsupported); break;
        case 'screenCapture': loading.actions = [...(loading.actions ?? []), `screen capture ${read(name, value, at)}`]; break;
        default: break;
      }
    }
    return { location: locationOf(url, dir), ...(Object.keys(loading).length ? { loading } : {}) };
  });
  if (unsupported.length) config.unsupported = unsupported;
  return config;
}

function locationOf(url: string, dir: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  if (/^file:\/\//i.test(url)) return new URL(url).pathname;
  return path.resolve(dir, url);
}

function viewportOf(value: z.infer<typeof Viewport>, where: string, unsupported: string[]): PageLoading['viewport'] {
  const { width, height, deviceScaleFactor, isMobile, ...rest } = value;
  for (const key of Object.keys(rest)) unsupported.push(`${where}.${key}: not supported (width, height, deviceScaleFactor, isMobile are)`);
  return { width, height, ...(deviceScaleFactor !== undefined ? { deviceScaleFactor } : {}), ...(isMobile !== undefined ? { isMobile } : {}) };
}
