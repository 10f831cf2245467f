// Reading JSON reports back (for `clearcopy check` and `merge-reports`) and combining the runs of
// several CI jobs into one.
import { z } from 'zod';
import { ClearcopyError } from '../errors.js';
import { pageKey, totalsOf, type PageResult, type RunResult } from '../model/run-result.js';

const counts = z.object({ error: z.number(), warning: z.number(), notice: z.number() });
const finding = z.looseObject({
  code: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning', 'notice']),
  source: z.enum(['htmlcs', 'axe', 'clearcopy']),
  selector: z.string().optional(),
  context: z.string().optional(),
  fingerprint: z.string().optional(),
  baseline: z.enum(['known', 'new']).optional(),
});
const page = z.looseObject({
  name: z.string(),
  input: z.string(),
  status: z.enum(['ok', 'failed']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  audited: z.boolean(),
  findings: z.array(finding),
  counts,
  durationMs: z.number(),
});
const header = {
  schemaVersion: z.literal(1, { error: 'expected schemaVersion 1 (a report from this major version of clearcopy)' }),
  tool: z.looseObject({ name: z.literal('clearcopy'), version: z.string() }),
  standard: z.string(),
  runners: z.array(z.string()),
  startedAt: z.string(),
  finishedAt: z.string(),
};
/** A whole run (the `json` reporter) or one page's report (`render`'s `<reports>/<name>.json`). */
const ReportSchema = z.union([
  z.looseObject({ ...header, pages: z.array(page) }),
  z.looseObject({ ...header, page }),
]);

/**
 * Reads one JSON report's text — a whole run as the `json` reporter writes it, or one page's report
 * as `render` writes `<reports>/<name>.json` — into a run. Throws a `USAGE` error naming the file
 * and the first problem when it is not one.
 */
export function runFromReport(text: string, file: string): RunResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClearcopyError('USAGE', `${file}: not valid JSON (${(error as Error).message}); give reports written by clearcopy --reporter json`, { file });
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues.find((i) => i.code !== 'invalid_union') ?? parsed.error.issues[0]!;
    const unionIssues = parsed.error.issues[0]?.code === 'invalid_union' ? (parsed.error.issues[0] as { errors?: z.core.$ZodIssue[][] }).errors?.flat() ?? [] : [];
    const best = unionIssues.sort((a, b) => b.path.length - a.path.length)[0] ?? issue;
    throw new ClearcopyError('USAGE', `${file}: not a clearcopy JSON report: ${best.path.join('.') || '(top level)'}: ${best.message}`, { file });
  }
  const data = parsed.data as unknown as RunResult & { page?: PageResult };
  const pages = data.page ? [data.page] : data.pages;
  const { page: _page, ...rest } = data;
  return { ...rest, pages, totals: totalsOf(pages) } as RunResult;
}

/** Input order for merged shards: by path, numbers by value (so `x.warc#200` comes before `x.warc#1000`). */
const INPUT_ORDER = new Intl.Collator('en', { numeric: true });

/**
 * Combines runs (e.g. one per CI shard) into one: pages in the order given, a page seen twice kept
 * once (the later report wins), runners united, the earliest start and latest finish, totals
 * recomputed. Pages of sharded runs are put back in input order (sorted by input, as a folder or
 * glob lists them), so the parts of `--shard 1/n` … `n/n` merge into what one run reports. The
 * gate summary is dropped; apply the gate to the merged run. Interruptions add up.
 */
export function mergeRuns(runs: readonly RunResult[]): RunResult {
  if (runs.length === 0) throw new ClearcopyError('USAGE', 'clearcopy: no reports to merge');
  const byKey = new Map<string, PageResult>();
  for (const run of runs) for (const page of run.pages) {
    const key = pageKey(page);
    byKey.delete(key);
    byKey.set(key, page);
  }
  const pages = [...byKey.values()];
  if (runs.some((run) => run.shard)) pages.sort((a, b) => INPUT_ORDER.compare(a.input, b.input));
  const interrupted = runs.filter((run) => run.interrupted);
  const standards = [...new Set(runs.map((run) => run.standard))];
  const first = runs[0]!;
  return {
    schemaVersion: 1,
    tool: first.tool,
    standard: standards.join(', '),
    runners: [...new Set(runs.flatMap((run) => run.runners))],
    startedAt: runs.map((run) => run.startedAt).sort()[0]!,
    finishedAt: runs.map((run) => run.finishedAt).sort().at(-1)!,
    pages,
    totals: totalsOf(pages),
    ...(interrupted.length
      ? { interrupted: { reason: [...new Set(interrupted.map((run) => run.interrupted!.reason))].join(', '), notProcessed: interrupted.reduce((sum, run) => sum + run.interrupted!.notProcessed, 0) } }
      : {}),
  };
}
