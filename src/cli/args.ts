import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ClearcopyError } from '../errors.js';
import { STANDARDS, type Standard } from '../audit/auditor.js';
import type { FailOn } from '../exit-code.js';

export const HELP = `clearcopy – accessible reader copies of archived web articles, audited with pa11y.

Usage:
  clearcopy render <files|folders…> [options]   extract, render HTML + text copies, audit them
  clearcopy text <file> [options]               print the plain-text copy to stdout (for speech)
  clearcopy --help | --version

Options for render:
  -o, --out DIR          folder for the copies (default: out)
      --reports DIR      folder for reports: <name>.json and index.html (default: reports)
      --standard LEVEL   WCAG2A, WCAG2AA or WCAG2AAA (default: WCAG2AA)
      --no-audit         only extract and render; do not start a browser
      --fail-on LEVEL    error, warning, notice or never: what fails the run (default: error)
      --threshold N      number of failing issues allowed (default: 0)
      --timeout MS       time allowed to audit one page (default: 30000)
      --concurrency N    pages audited at once (default: number of CPU cores)
      --chrome PATH      Chromium/Chrome to use (default: CLEARCOPY_CHROME, then the system's)
  -q, --quiet            print only failures and the summary
Options for both:
      --text-width N     wrap the text copy at N columns; 0 = no wrap (default: 80)
      --links            number links in the text and list their addresses at the end
      --templates DIR    your own templates folder (same file names as clearcopy's templates/)
      --max-bytes N      refuse inputs larger than N bytes (default: 31457280)

Exit codes: 0 clean, 1 audit errors found or a page failed, 2 usage or fatal error.`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  reports: { type: 'string' },
  standard: { type: 'string' },
  audit: { type: 'boolean' },
  'no-audit': { type: 'boolean' },
  'fail-on': { type: 'string' },
  threshold: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  chrome: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'text-width': { type: 'string' },
  links: { type: 'boolean' },
  templates: { type: 'string' },
  'max-bytes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options'];

/** Parsed command line. */
export interface CliArgs {
  command: 'render' | 'text' | 'help' | 'version';
  inputs: string[];
  out: string;
  reports: string;
  standard: Standard;
  audit: boolean;
  failOn: FailOn;
  threshold: number;
  timeoutMs?: number;
  concurrency?: number;
  chrome?: string;
  quiet: boolean;
  textWidth: number;
  links: boolean;
  templates?: string;
  maxBytes?: number;
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
  if (command !== 'render' && command !== 'text' && command !== 'help' && command !== 'version') {
    throw new ClearcopyError('USAGE', first ? `clearcopy: unknown command "${first}" (commands: render, text; see clearcopy --help)` : 'clearcopy: no command given (try: clearcopy render samples)');
  }
  const inputs = command === 'render' || command === 'text' ? rest : [];
  if (command === 'render' && inputs.length === 0) throw new ClearcopyError('USAGE', 'clearcopy render: give at least one HTML file or folder');
  if (command === 'text' && inputs.length !== 1) throw new ClearcopyError('USAGE', 'clearcopy text: give exactly one HTML file');
  const standard = (values.standard ?? 'WCAG2AA').toUpperCase() as Standard;
  if (!STANDARDS.includes(standard)) throw new ClearcopyError('USAGE', `clearcopy: --standard must be one of ${STANDARDS.join(', ')}, not "${values.standard}"`);
  const failOn = (values['fail-on'] ?? 'error') as FailOn;
  if (!['error', 'warning', 'notice', 'never'].includes(failOn)) throw new ClearcopyError('USAGE', `clearcopy: --fail-on must be error, warning, notice or never, not "${failOn}"`);
  const args: CliArgs = {
    command,
    inputs,
    out: values.out ?? 'out',
    reports: values.reports ?? 'reports',
    standard,
    audit: !values['no-audit'],
    failOn,
    threshold: integer(values.threshold, '--threshold', 0) ?? 0,
    quiet: Boolean(values.quiet),
    textWidth: integer(values['text-width'], '--text-width', 0) ?? 80,
    links: Boolean(values.links),
  };
  const timeoutMs = integer(values.timeout, '--timeout', 1);
  if (timeoutMs !== undefined) args.timeoutMs = timeoutMs;
  const concurrency = integer(values.concurrency, '--concurrency', 1);
  if (concurrency !== undefined) args.concurrency = concurrency;
  const maxBytes = integer(values['max-bytes'], '--max-bytes', 1);
  if (maxBytes !== undefined) args.maxBytes = maxBytes;
  if (values.chrome) args.chrome = values.chrome;
  if (values.templates) args.templates = values.templates;
  return args;
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new ClearcopyError('USAGE', `clearcopy: ${flag} needs a whole number of at least ${min}, not "${value}"`);
  return number;
}
