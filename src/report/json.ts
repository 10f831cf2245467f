import type { PageResult, RunResult } from '../model/run-result.js';

/** The whole run as JSON (schema: `schema/run-result.schema.json`, `schemaVersion` 1). */
export function jsonReporter(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

/** One page's report: the run's header fields and that page alone (written as `<reports>/<name>.json`). */
export function pageJsonReport(run: RunResult, page: PageResult): string {
  const { pages: _pages, totals: _totals, ...header } = run;
  return `${JSON.stringify({ ...header, page }, null, 2)}\n`;
}
