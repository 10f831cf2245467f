// Every default a run falls back on, in one place: the library, the CLI, the config file and the
// cache key all read them from here. Plain values only, so any layer may import this file.

/** WCAG level audited when none is given. */
export const DEFAULT_STANDARD = 'WCAG2AA' as const;

/** pa11y runners used when none are given. */
export const DEFAULT_RUNNERS: readonly ('htmlcs' | 'axe')[] = ['htmlcs', 'axe'];

/** Time allowed to load and audit one page in the browser, in ms. */
export const DEFAULT_AUDIT_TIMEOUT_MS = 30_000;

/** Time allowed to fetch one http(s) page, in ms (`clearcopy audit` uses its audit timeout instead). */
export const DEFAULT_FETCH_TIMEOUT_MS = 20_000;

/** Redirects followed when fetching a page. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** Largest input accepted, in bytes (30 MiB). */
export const DEFAULT_MAX_BYTES = 30 * 1024 * 1024;

/** Most elements a page may have before it is refused as too large to process. */
export const DEFAULT_MAX_ELEMENTS = 200_000;

/** Time one page may take to extract and render on a worker thread, in ms (`CLEARCOPY_EXTRACT_TIMEOUT_MS` overrides it). */
export const DEFAULT_EXTRACT_TIMEOUT_MS = 60_000;

/** Highest level for axe results that need a person's review (pa11y's own default is `error`). */
export const DEFAULT_LEVEL_CAP_WHEN_NEEDS_REVIEW = 'warning' as const;

/** Folder for the copies. */
export const DEFAULT_OUT_DIR = 'out';

/** Folder for the per-page JSON reports and `index.html`. */
export const DEFAULT_REPORTS_DIR = 'reports';

/** Where unchanged pages' results are kept, relative to the working directory. */
export const DEFAULT_CACHE_DIR = '.cache/clearcopy';
