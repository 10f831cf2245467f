// pa11y's in-page half, injected once per browser tab instead of once per audit.
//
// pa11y 9 (`lib/pa11y.js`, `injectRunners`) evaluates its client script (`lib/runner.js`) and every
// runner's bundle (axe-core ~550 kB, HTML_CodeSniffer ~250 kB) in the page on *every* call, then
// calls `window.__pa11y.run(options)`. clearcopy loads each copy with `page.setContent`, which
// replaces the document with `document.open()`/`write()` but keeps the same `window`
// (HTML "document open steps": no new global since Chrome 73), so the injected globals survive
// and need to be evaluated only once per tab. This module builds exactly the strings pa11y builds
// (same files, same `window.__pa11y.runners[name] = run.toString()` glue) and the exact options
// object pa11y passes to `window.__pa11y.run`, so results are pa11y's own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Standard } from './auditor.js';
import { DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW as DEFAULTS_LEVEL_CAP } from '../defaults.js';

const require = createRequire(import.meta.url);

interface RunnerModule {
  run: (...args: unknown[]) => unknown;
  scripts: string[];
  supports: string;
}

/** pa11y's installed version and its `lib/` folder. */
const PA11Y_LIB = path.dirname(require.resolve('pa11y'));
export const PA11Y_VERSION: string = (JSON.parse(readFileSync(path.join(PA11Y_LIB, '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * After axe has run its rules it builds a unique selector for every node of every result type,
 * passes included; pa11y reads only `violations` and `incomplete`. axe's `resultTypes` option
 * limits that post-processing to the listed types (the others keep one node each), which leaves
 * the violations and incomplete results (pa11y's issues) unchanged and skips most selector work.
 */
const AXE_RESULT_TYPES_SHIM = `;(() => {
  const axe = window.axe;
  if (!axe || axe.__clearcopyShim) return;
  const run = axe.run.bind(axe);
  axe.run = (context, options) => run(context, { ...options, resultTypes: ['violations', 'incomplete'] });
  axe.__clearcopyShim = true;
})();`;

const cache = new Map<string, string>();

/**
 * The scripts to evaluate in a fresh tab, in order: pa11y's client, then one bundle per runner
 * built exactly as pa11y's `loadRunnerScript` builds it (plus axe's `resultTypes` shim).
 */
export function runnerScripts(runners: readonly string[]): string[] {
  const scripts = [cached('pa11y', () => readFileSync(path.join(PA11Y_LIB, 'runner.js'), 'utf8'))];
  for (const name of runners) {
    scripts.push(cached(name, () => {
      const runner = require(path.join(PA11Y_LIB, 'runners', `${name}.js`)) as RunnerModule;
      const bundle = runner.scripts.map((script) => readFileSync(script, 'utf8')).join('\n\n');
      const glue = `\n\t\t;${bundle};\n\t\t;window.__pa11y.runners[${JSON.stringify(name)}] = ${runner.run.toString()};\n\t`;
      return name === 'axe' ? glue + AXE_RESULT_TYPES_SHIM : glue;
    }));
  }
  return scripts;
}

function cached(key: string, load: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = load();
    cache.set(key, value);
  }
  return value;
}

/** An expression that is true when a tab already holds pa11y's client and these runners. */
export function injectedCheck(runners: readonly string[]): string {
  return `Boolean(window.__pa11y && ${JSON.stringify(runners)}.every((name) => typeof window.__pa11y.runners[name] === 'function'))`;
}

/** Options as clearcopy's auditor takes them, before pa11y's defaulting. */
export interface RunSettings {
  standard: Standard;
  runners: readonly string[];
  ignore: readonly string[];
  rootElement: string | null;
  hideElements: string | null;
  includeWarnings: boolean;
  includeNotices: boolean;
  /** Highest level an axe "needs review" (incomplete) result may have (default: {@link DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW}). */
  levelCapWhenNeedsReview?: IssueLevel;
}

/** pa11y's issue levels. */
export type IssueLevel = 'error' | 'warning' | 'notice';
export const ISSUE_LEVELS: readonly IssueLevel[] = ['error', 'warning', 'notice'];

/**
 * clearcopy's cap for axe results that need review (axe's `incomplete`: e.g. colour contrast over an
 * image it cannot judge). pa11y's own default is `error`; clearcopy counts them as warnings, since
 * axe itself says it could not decide.
 */
export const DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW: IssueLevel = DEFAULTS_LEVEL_CAP;

/** The object pa11y 9 passes to `window.__pa11y.run` (`runPa11yWithOptions`), after its own defaulting (`option.js`). */
export interface Pa11yRunOptions {
  pa11yVersion: string;
  hideElements: string | null;
  ignore: string[];
  levelCapWhenNeedsReview: IssueLevel;
  rootElement: string | null;
  rules: string[];
  runners: string[];
  standard: Standard;
  wait: number;
}

/**
 * Builds pa11y's run options: ignore codes lower-cased, then `notice` / `warning` appended when
 * they are not included (pa11y's `defaultOptions`), `levelCapWhenNeedsReview` as given (clearcopy's
 * default is `warning`, pa11y's is `error`), no extra rules, no wait.
 */
export function pa11yRunOptions(settings: RunSettings): Pa11yRunOptions {
  const ignore = settings.ignore.map((code) => code.toLowerCase());
  if (!settings.includeNotices) ignore.push('notice');
  if (!settings.includeWarnings) ignore.push('warning');
  return {
    pa11yVersion: PA11Y_VERSION,
    hideElements: settings.hideElements,
    ignore,
    levelCapWhenNeedsReview: settings.levelCapWhenNeedsReview ?? DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW,
    rootElement: settings.rootElement,
    rules: [],
    runners: [...settings.runners],
    standard: settings.standard,
    wait: 0,
  };
}

/** pa11y's defaults for the tab itself (`pa11y.defaults.viewport`, `userAgent`), set once per tab. */
export const PA11Y_VIEWPORT = { width: 1280, height: 1024 };
export const PA11Y_USER_AGENT = `pa11y/${PA11Y_VERSION}`;
