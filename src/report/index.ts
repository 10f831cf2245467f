import type { RunResult } from '../model/run-result.js';
import { htmlReporter, type ReportContext } from './html.js';
import { jsonReporter } from './json.js';

/** A reporter: a pure function from a run's results to the text of a report. */
export type Reporter = (run: RunResult, context?: ReportContext) => string;

/** Reporters by format name. */
export const REPORTERS: Record<string, Reporter> = {
  json: jsonReporter,
  html: htmlReporter,
};

export type { ReportContext };
