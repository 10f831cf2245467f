import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_OUT_DIR, DEFAULT_REPORTS_DIR } from '../defaults.js';
import { ClearcopyError } from '../errors.js';
import type { Standard } from '../audit/auditor.js';
import type { FailOn } from '../gate/exit-code.js';
import type { IssueLevel } from '../audit/pa11y-scripts.js';
import { FORMATS, ISSUE_LEVEL_NAMES, STANDARD_NAMES as STANDARDS, splitReporter } from '../config/index.js';

export const HELP = `clearcopy – accessible reader copies of archived web articles, audited with pa11y.

Usage:
  clearcopy render <files|folders…> [options]   extract, render HTML + text copies, audit them
  clearcopy text <file|URL|-> [options]         print the plain-text (or SSML) copy to stdout, for speech
  clearcopy audit <files|folders|globs|URLs|-…> audit any HTML pages as they are (URLs, WARC records, stdin too)
  clearcopy check <report.json…>                re-apply the gate to JSON reports (no browser)
  clearcopy merge-reports <report.json…>        combine JSON reports (e.g. CI shards) into one
  clearcopy queue add <inputs…> --redis URL     put one job per page on a Redis queue (render's options)
  clearcopy worker --redis URL -o DIR --reports DIR  convert queued pages as render does, until stopped
  clearcopy queue status --redis URL [--json]   waiting, active, done, failed, rate, ETA, failed pages
  clearcopy queue report --redis URL [-o DIR]   every queued page's result as one render run (reports,
                                                gate, exit code; with -o the workers' folder indexed)
  clearcopy --help | --version

Options for render:
  -o, --out DIR          folder for the copies (default: out)
      --reports DIR      folder for reports: <name>.json and index.html (default: reports)
      --no-audit         only extract and render; do not start a browser
      --compare-original also audit each original page (scripts and network off, styled by its own
                         stylesheets from its archive, MHTML file or folder); the report shows
                         its issues beside the copy's, per WCAG success criterion
      --remote-images    keep images at their original addresses (default: each image is read
                         from the page's archive, MHTML file or folder into <out>/assets/, and
                         one not found is left out with its description kept as text)
      --no-cache         neither read nor write the cache of earlier results
      --cache-dir DIR    where unchanged pages' results are kept (default: .cache/clearcopy)
      --extract-timeout MS  time one page may take to extract and render (default: 60000;
                         0 = none); a page over it fails alone
      --max-elements N   refuse pages with more elements than N (default: 200000)
      --workers N        threads that extract and render (default: cores, at most 4; 0 = none)
      --epub FILE        also make one accessible EPUB 3 book of every copy, in input order
      --title TEXT       the book's title (default: the article's, or the first one's "and N more")
Options for render and audit:
      --shard I/N        process only part I of N of the inputs (a stable split, for CI
                         matrices; join the parts' JSON reports with merge-reports)
      --standard LEVEL   WCAG2A, WCAG2AA or WCAG2AAA (default: WCAG2AA)
      --root-element SEL only audit inside this CSS selector
      --hide-elements SEL  hide these elements (CSS selector list) from the audit
      --timeout MS       time allowed to load and audit one page (default: 30000)
      --level-cap-when-needs-review LEVEL  highest level for axe results that need a person's
                         review (axe "incomplete"): error, warning or notice (default: warning;
                         pa11y's default is error)
      --concurrency N    pages audited at once (default: number of CPU cores; audit: cores + 2)
      --chrome PATH      Chromium/Chrome to use (default: CLEARCOPY_CHROME, then the system's)
      --max-bytes N      refuse inputs larger than N bytes (default: 31457280)
Loading pages (audit; each page opened by the browser in a fresh context, scripts on):
      --root DIR         site root served for local files (default: their common folder)
      --no-scripts       do not run the pages' own scripts
      --wait-for SEL     wait until an element matches SEL before the audit
      --wait MS          wait MS before the audit once the page is ready (pa11y's wait)
      --block-hosts H    never contact these hosts (comma-separated or repeated; *.example.org
                         for subdomains); local files never reach any host but their own
      --urls FILE        also audit the URLs or paths listed in FILE, one a line
      --sitemap URL|FILE also audit the pages of a sitemap (index files and gzip too)
      --sitemap-find RE, --sitemap-replace S  rewrite the sitemap's addresses (e.g. to staging)
      --sitemap-exclude RE  leave out pages whose address matches RE
      --config .pa11yci  a pa11y-ci config is read as pa11y-ci reads it
Gate and reports (render, audit, check, merge-reports):
      --reporter F[=PATH]  cli, json, html, junit, sarif, markdown or csv; to PATH, or stdout
                         without one; repeat for several (default: cli for audit and check,
                         json for merge-reports)
      --fail-on LEVEL    error, warning, notice or never: what fails the run (default: error)
      --threshold N      number of failing issues allowed (default: 0)
      --ignore CODE      a rule code to ignore (repeatable; as printed after "ignore")
      --baseline FILE    fail only on issues not in this baseline
      --update-baseline  write the baseline (to --baseline) from this run's issues
      --config FILE      config file (default: clearcopy.config.json or .mjs, searched upward)
      --no-config        use no config file
  -q, --quiet            print only failures and the summary
      --json             progress as JSON lines (NDJSON) on stderr, for tools (render, audit)
Queue and worker (Redis or Valkey 5+, shared by any number of machines):
      --redis URL        redis://[user:password@]host:port[/db] (default: CLEARCOPY_REDIS_URL)
      --queue NAME       the queue's name (default: pages)
      --attempts N       queue add: tries per page for passing failures (default: 3)
      --backoff MS       queue add: wait before the first retry, doubling after (default: 5000)
      --concurrency N    worker: pages in hand at once (default: as render keeps in flight)
      --lock-duration MS worker: a worker silent this long has its pages taken back (default: 30000)
      --until-empty      worker: stop when the queue has nothing left instead of waiting for more
  A worker stops on SIGTERM or Ctrl-C after the pages in hand (exit 143 or 130); the rest stay queued.
Options for text (and render):
      --format F         text (default) or ssml (SSML 1.1 for a speech engine); text command only
      --text-width N     wrap the text copy at N columns; 0 = no wrap (default: 80)
      --links            number links in the text and list their addresses at the end
      --templates DIR    your own templates folder (same file names as clearcopy's templates/)
      --ui-lang LANG     clearcopy's own words (labels, notes) in LANG, whatever the article's
                         language (default: the article's when there is a catalog, else English)

A page that cannot be loaded, audited in time, or found fails the run.
Exit codes: 0 passed, 1 the gate failed (issues or a page that failed), 2 usage, config or fatal error.`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  reports: { type: 'string' },
  standard: { type: 'string' },
  audit: { type: 'boolean' },
  'no-audit': { type: 'boolean' },
  'fail-on': { type: 'string' },
  threshold: { type: 'string' },
  timeout: { type: 'string' },
  'level-cap-when-needs-review': { type: 'string' },
  concurrency: { type: 'string' },
  chrome: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'compare-original': { type: 'boolean' },
  'remote-images': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  workers: { type: 'string' },
  'extract-timeout': { type: 'string' },
  'max-elements': { type: 'string' },
  shard: { type: 'string' },
  epub: { type: 'string' },
  title: { type: 'string' },
  'text-width': { type: 'string' },
  links: { type: 'boolean' },
  format: { type: 'string' },
  templates: { type: 'string' },
  'ui-lang': { type: 'string' },
  'max-bytes': { type: 'string' },
  reporter: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  'root-element': { type: 'string' },
  'hide-elements': { type: 'string' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  root: { type: 'string' },
  'no-scripts': { type: 'boolean' },
  'wait-for': { type: 'string' },
  wait: { type: 'string' },
  'block-hosts': { type: 'string', multiple: true },
  urls: { type: 'string' },
  sitemap: { type: 'string' },
  'sitemap-find': { type: 'string' },
  'sitemap-replace': { type: 'string' },
  'sitemap-exclude': { type: 'string' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  attempts: { type: 'string' },
  backoff: { type: 'string' },
  'lock-duration': { type: 'string' },
  'until-empty': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options'];

const COMMANDS = ['render', 'text', 'audit', 'check', 'merge-reports', 'queue', 'worker'] as const;

/** What `clearcopy queue` does. */
export const QUEUE_ACTIONS = ['add', 'status', 'report'] as const;

/** A reporter requested on the command line: its format and file (stdout when absent). */
export interface ReporterSpec {
  format: string;
  output?: string;
}

/**
 * Parsed command line. Options a config file can also set are undefined when not given, so the
 * config fills them (CLI flags override the config).
 */
export interface CliArgs {
  command: (typeof COMMANDS)[number] | 'help' | 'version';
  inputs: string[];
  out: string;
  /** True when -o/--out was given (not the default). */
  outGiven: boolean;
  reports: string;
  standard?: Standard;
  audit: boolean;
  failOn?: FailOn;
  threshold?: number;
  timeoutMs?: number;
  /** Highest level for axe results that need review (pa11y's option of the same name). */
  levelCapWhenNeedsReview?: IssueLevel;
  concurrency?: number;
  chrome?: string;
  quiet: boolean;
  /** Progress as NDJSON events on stderr. */
  json: boolean;
  /** Audit the original pages too, for a before/after report. */
  compareOriginal: boolean;
  /** Keep images at their original addresses instead of copying them into the output folder. */
  remoteImages: boolean;
  /** Read and write the cache (false with --no-cache). */
  cache: boolean;
  cacheDir?: string;
  workers?: number;
  extractTimeoutMs?: number;
  maxElements?: number;
  /** Part `index` of `total` (both from 1), from --shard I/N. */
  shard?: { index: number; total: number };
  /** Also write every copy into one EPUB book at this path (render). */
  epub?: string;
  /** The book's title (with --epub). */
  title?: string;
  textWidth: number;
  links: boolean;
  /** Output of the text command: plain text or SSML. */
  format: 'text' | 'ssml';
  templates?: string;
  /** The language of clearcopy's own words in the copies (--ui-lang). */
  uiLang?: string;
  maxBytes?: number;
  reporters?: ReporterSpec[];
  ignore?: string[];
  rootElement?: string;
  hideElements?: string;
  baseline?: string;
  updateBaseline: boolean;
  /** A config file named with --config; `false` with --no-config. */
  config?: string | false;
  /** audit: site root for local files (--root). */
  root?: string;
  /** audit: false with --no-scripts. */
  scripts?: boolean;
  /** audit: --wait-for SELECTOR. */
  waitFor?: string;
  /** audit: --wait MS (pa11y's wait). */
  waitMs?: number;
  /** audit: --block-hosts. */
  blockHosts?: string[];
  /** audit: --urls FILE. */
  urls?: string;
  /** audit: --sitemap and its --sitemap-find / --sitemap-replace / --sitemap-exclude. */
  sitemap?: string;
  sitemapFind?: string;
  sitemapReplace?: string;
  sitemapExclude?: string;
  /** `clearcopy queue add|status|report`. */
  queueAction?: (typeof QUEUE_ACTIONS)[number];
  /** The Redis address from --redis (CLEARCOPY_REDIS_URL is read by the command). */
  redis?: string;
  queueName?: string;
  attempts?: number;
  backoffMs?: number;
  lockDurationMs?: number;
  untilEmpty: boolean;
}

/** Parses argv (without node and script); throws a `USAGE` error with a one-line message. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ClearcopyError('USAGE', `clearcopy: ${(error as Error).message.split('\n')[0]} (see clearcopy --help)`);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = values.help ? 'help' : values.version ? 'version' : first;
  if (command !== 'help' && command !== 'version' && !COMMANDS.includes(command as (typeof COMMANDS)[number])) {
    throw new ClearcopyError('USAGE', first ? `clearcopy: unknown command "${first}" (commands: ${COMMANDS.join(', ')}; see clearcopy --help)` : 'clearcopy: no command given (try: clearcopy render samples)');
  }
  let inputs = command === 'help' || command === 'version' ? [] : rest;
  let queueAction: CliArgs['queueAction'];
  if (command === 'queue') {
    const [action, ...queued] = rest;
    if (!(QUEUE_ACTIONS as readonly string[]).includes(action ?? '')) throw new ClearcopyError('USAGE', `clearcopy queue: ${action ? `unknown action "${action}"` : 'give an action'} (${QUEUE_ACTIONS.join(', ')})`);
    queueAction = action as CliArgs['queueAction'];
    inputs = queued;
    if (queueAction === 'add' && inputs.length === 0) throw new ClearcopyError('USAGE', 'clearcopy queue add: give at least one HTML file, folder, glob, archive or http(s) URL');
    if (queueAction !== 'add' && inputs.length) throw new ClearcopyError('USAGE', `clearcopy queue ${queueAction}: takes no inputs (got "${inputs[0]}")`);
  }
  if (command === 'worker' && inputs.length) throw new ClearcopyError('USAGE', `clearcopy worker: takes no inputs (got "${inputs[0]}"; add them with clearcopy queue add)`);
  if (command === 'render' && inputs.length === 0) throw new ClearcopyError('USAGE', 'clearcopy render: give at least one HTML file or folder');
  if (command === 'audit' && inputs.length === 0 && !values.sitemap && !values.urls && !values.config) throw new ClearcopyError('USAGE', 'clearcopy audit: give at least one HTML file, folder, glob, archive, http(s) URL or - (standard input), or --sitemap, --urls, or a --config with urls');
  if ((command === 'check' || command === 'merge-reports') && inputs.length === 0) throw new ClearcopyError('USAGE', `clearcopy ${command}: give at least one JSON report (written with --reporter json=FILE)`);
  if (command === 'text' && inputs.length !== 1) throw new ClearcopyError('USAGE', 'clearcopy text: give exactly one page (a file, a URL, a WARC, or - for standard input)');
  const args: CliArgs = {
    command: command as CliArgs['command'],
    inputs,
    out: values.out ?? DEFAULT_OUT_DIR,
    outGiven: values.out !== undefined,
    reports: values.reports ?? DEFAULT_REPORTS_DIR,
    audit: !values['no-audit'],
    quiet: Boolean(values.quiet),
    json: Boolean(values.json),
    cache: !values['no-cache'],
    compareOriginal: Boolean(values['compare-original']),
    remoteImages: Boolean(values['remote-images']),
    textWidth: integer(values['text-width'], '--text-width', 0) ?? 80,
    links: Boolean(values.links),
    format: textFormat(values.format),
    updateBaseline: Boolean(values['update-baseline']),
    untilEmpty: Boolean(values['until-empty']),
  };
  if (values['ui-lang'] !== undefined) {
    try {
      args.uiLang = Intl.getCanonicalLocales(values['ui-lang'])[0]!;
    } catch {
      throw new ClearcopyError('USAGE', `clearcopy: --ui-lang must be a language tag such as de, pt-BR or zh-Hant, not "${values['ui-lang']}"`);
    }
  }
  if (queueAction) args.queueAction = queueAction;
  if (values.redis) args.redis = values.redis;
  if (values.queue) {
    if (!/^[\w.-]{1,100}$/.test(values.queue)) throw new ClearcopyError('USAGE', `clearcopy: --queue needs a name of letters, digits, ".", "_" or "-", not "${values.queue}"`);
    args.queueName = values.queue;
  }
  const attempts = integer(values.attempts, '--attempts', 1);
  if (attempts !== undefined) args.attempts = attempts;
  const backoffMs = integer(values.backoff, '--backoff', 0);
  if (backoffMs !== undefined) args.backoffMs = backoffMs;
  const lockDurationMs = integer(values['lock-duration'], '--lock-duration', 1000);
  if (lockDurationMs !== undefined) args.lockDurationMs = lockDurationMs;
  if (values.standard !== undefined) {
    const standard = values.standard.toUpperCase() as Standard;
    if (!(STANDARDS as readonly string[]).includes(standard)) throw new ClearcopyError('USAGE', `clearcopy: --standard must be one of ${STANDARDS.join(', ')}, not "${values.standard}"`);
    args.standard = standard;
  }
  if (values['fail-on'] !== undefined) {
    const failOn = values['fail-on'] as FailOn;
    if (!['error', 'warning', 'notice', 'never'].includes(failOn)) throw new ClearcopyError('USAGE', `clearcopy: --fail-on must be error, warning, notice or never, not "${failOn}"`);
    args.failOn = failOn;
  }
  const levelCap = values['level-cap-when-needs-review'];
  if (levelCap !== undefined) {
    if (!(ISSUE_LEVEL_NAMES as readonly string[]).includes(levelCap)) {
      throw new ClearcopyError('USAGE', `clearcopy: --level-cap-when-needs-review must be error, warning or notice, not "${levelCap}"`);
    }
    args.levelCapWhenNeedsReview = levelCap as IssueLevel;
  }
  const threshold = integer(values.threshold, '--threshold', 0);
  if (threshold !== undefined) args.threshold = threshold;
  const timeoutMs = integer(values.timeout, '--timeout', 1);
  if (timeoutMs !== undefined) args.timeoutMs = timeoutMs;
  const concurrency = integer(values.concurrency, '--concurrency', 1);
  if (concurrency !== undefined) args.concurrency = concurrency;
  const maxBytes = integer(values['max-bytes'], '--max-bytes', 1);
  if (maxBytes !== undefined) args.maxBytes = maxBytes;
  const workers = integer(values.workers, '--workers', 0);
  if (workers !== undefined) args.workers = workers;
  const extractTimeoutMs = integer(values['extract-timeout'], '--extract-timeout', 0);
  if (extractTimeoutMs !== undefined) args.extractTimeoutMs = extractTimeoutMs;
  const maxElements = integer(values['max-elements'], '--max-elements', 1);
  if (maxElements !== undefined) args.maxElements = maxElements;
  if (values['cache-dir']) args.cacheDir = values['cache-dir'];
  if (values.shard !== undefined) args.shard = parseShard(values.shard);
  if (values.epub !== undefined) {
    if (command !== 'render') throw new ClearcopyError('USAGE', 'clearcopy: --epub is an option of render (clearcopy render <inputs…> --epub book.epub)');
    if (!values.epub.trim()) throw new ClearcopyError('USAGE', 'clearcopy: --epub needs a file name (for example --epub book.epub)');
    args.epub = values.epub;
  }
  if (values.title !== undefined) {
    if (values.epub === undefined) throw new ClearcopyError('USAGE', 'clearcopy: --title names the book made with --epub FILE; give --epub too');
    args.title = values.title;
  }
  if (values.chrome) args.chrome = values.chrome;
  if (values.templates) args.templates = values.templates;
  if (values.reporter) args.reporters = values.reporter.map(parseReporter);
  if (values.ignore) args.ignore = values.ignore.flatMap((entry) => entry.split(',')).map((code) => code.trim()).filter(Boolean);
  if (values['root-element']) args.rootElement = values['root-element'];
  if (values['hide-elements']) args.hideElements = values['hide-elements'];
  if (values.baseline) args.baseline = values.baseline;
  if (values.config && values['no-config']) throw new ClearcopyError('USAGE', 'clearcopy: give --config FILE or --no-config, not both');
  if (values.config) args.config = values.config;
  if (values['no-config']) args.config = false;
  if (values.root) args.root = values.root;
  if (values['no-scripts']) args.scripts = false;
  if (values['wait-for']) args.waitFor = values['wait-for'];
  const waitMs = integer(values.wait, '--wait', 0);
  if (waitMs !== undefined) args.waitMs = waitMs;
  if (values['block-hosts']) args.blockHosts = values['block-hosts'].flatMap((entry) => entry.split(',')).map((host) => host.trim()).filter(Boolean);
  if (values.urls) args.urls = values.urls;
  if (values.sitemap) args.sitemap = values.sitemap;
  if (values['sitemap-find'] !== undefined) args.sitemapFind = values['sitemap-find'];
  if (values['sitemap-replace'] !== undefined) args.sitemapReplace = values['sitemap-replace'];
  if (values['sitemap-exclude'] !== undefined) args.sitemapExclude = values['sitemap-exclude'];
  if ((args.sitemapReplace !== undefined) && args.sitemapFind === undefined) throw new ClearcopyError('USAGE', 'clearcopy: --sitemap-replace needs --sitemap-find');
  return args;
}

/** Parses `format` or `format=path` (`-` for stdout); throws a `USAGE` error for an unknown format. */
export function parseReporter(entry: string): ReporterSpec {
  const { format, output } = splitReporter(entry);
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ClearcopyError('USAGE', `clearcopy: --reporter "${entry}": unknown format "${format}" (formats: ${FORMATS.join(', ')})`);
  }
  if (output === '') throw new ClearcopyError('USAGE', `clearcopy: --reporter "${entry}": give a file after "=", or leave it out for stdout`);
  return output && output !== '-' ? { format, output } : { format };
}

/** Parses `I/N` (1 ≤ I ≤ N), as in `--shard 2/4`. */
export function parseShard(value: string): { index: number; total: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || index < 1 || total < 1 || index > total) {
    throw new ClearcopyError('USAGE', `clearcopy: --shard needs I/N with 1 ≤ I ≤ N (for example 2/4), not "${value}"`);
  }
  return { index, total };
}

function textFormat(value: string | undefined): 'text' | 'ssml' {
  if (value === undefined || value === 'text' || value === 'ssml') return value ?? 'text';
  throw new ClearcopyError('USAGE', `clearcopy: --format must be text or ssml, not "${value}"`);
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new ClearcopyError('USAGE', `clearcopy: ${flag} needs a whole number of at least ${min}, not "${value}"`);
  return number;
}
