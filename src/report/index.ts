import type { RunResult } from '../model/run-result.js';
import { cliReporter } from './cli.js';
import { csvReporter } from './csv.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';

/** What a reporter may need besides the run; every field is optional. */
export interface ReportContext {
  /** Folder the report is written to, so links to files can be relative (optional). */
  reportDir?: string;
  /** Use ANSI colours (`cli` only; default: false). */
  color?: boolean;
  /** Leave out pages that pass (`cli` only; default: false). */
  quiet?: boolean;
}

/** A reporter: a pure function from a run's results to the text of a report. */
export type Reporter = (run: RunResult, context?: ReportContext) => string;

/**
 * Reporters by format name: `json` (schema/run-result.schema.json), `html` (one accessible page for
 * the run), `junit` (a testsuite per page, a testcase per rule), `sarif` (SARIF 2.1.0), `markdown`
 * (a short summary for $GITHUB_STEP_SUMMARY or a PR comment), `csv` (RFC 4180, one row per issue)
 * and `cli` (for a terminal).
 */
export const REPORTERS: Record<string, Reporter> = {
  json: jsonReporter,
  html: htmlReporter,
  junit: junitReporter,
  sarif: sarifReporter,
  markdown: markdownReporter,
  csv: csvReporter,
  cli: cliReporter,
};

