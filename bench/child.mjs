// One measured job of the benchmark, run in its own process so its memory can be sampled alone.
// Usage: node bench/child.mjs <job> <json-args>; prints one JSON line with the job's numbers.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [job, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? '{}');
const dist = new URL('../dist/', import.meta.url);
const { renderFiles, openAuditor } = await import(new URL('index.js', dist).href);

/** Issues from pa11y's runners only (clearcopy's own extraction findings are not pa11y's). */
const pa11yFindings = (findings) => findings.filter((f) => f.source === 'htmlcs' || f.source === 'axe');
const pa11yIssues = (findings) => pa11yFindings(findings).length;
/** pa11y's issues counted by runner, level and rule code: `"axe error color-contrast": 3`. */
const byRule = (findings) => {
  const counts = {};
  for (const f of pa11yFindings(findings)) {
    const key = `${f.source} ${f.severity} ${f.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};
/** The same axe "needs review" cap on every side of a comparison (clearcopy's default unless told). */
const levelCap = args.levelCapWhenNeedsReview ? { levelCapWhenNeedsReview: args.levelCapWhenNeedsReview } : {};

if (job === 'pipeline' || job === 'extract') {
  const started = performance.now();
  const run = await renderFiles([args.inputs], {
    output: { dir: args.out },
    cache: args.cacheDir ? { dir: args.cacheDir } : false,
    ...(args.workers !== undefined ? { workers: { threads: args.workers } } : {}),
    audit: job === 'pipeline' ? { standard: 'WCAG2AA', runners: ['htmlcs', 'axe'], ...levelCap, ...(args.concurrency ? { concurrency: args.concurrency } : {}), timeoutMs: 120_000 } : false,
  });
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, totals: run.totals, pages: run.pages.map((p) => ({ name: p.name, status: p.status, error: p.error?.message, issues: pa11yIssues(p.findings), byRule: byRule(p.findings) })) }));
} else if (job === 'audit') {
  // The audit stage alone on the copies clearcopy wrote: what pa11y-ci is compared with.
  const files = readdirSync(args.out).filter((f) => f.endsWith('.html')).sort().map((f) => path.join(args.out, f));
  const htmls = files.map((f) => readFileSync(f, 'utf8'));
  const started = performance.now();
  // Audited as the pipeline audits its copies: static pages (frameless tabs in a headless shell).
  const auditor = await openAuditor({ standard: 'WCAG2AA', runners: ['htmlcs', 'axe'], ...levelCap, concurrency: args.concurrency, timeoutMs: 120_000, staticPages: args.staticPages ?? true });
  const pages = new Array(files.length);
  let next = 0;
  await Promise.all(Array.from({ length: auditor.concurrency }, async () => {
    while (next < files.length) {
      const i = next++;
      try {
        const outcome = await auditor.audit(htmls[i], files[i]);
        pages[i] = { url: pathToFileURL(files[i]).href, issues: pa11yIssues(outcome.findings), byRule: byRule(outcome.findings) };
      } catch (error) {
        pages[i] = { url: pathToFileURL(files[i]).href, error: String(error.message) };
      }
    }
  }));
  await auditor.close();
  console.log(JSON.stringify({ ms: performance.now() - started, concurrency: auditor.concurrency, pages }));
} else if (job === 'bare') {
  // Timed from before jsdom and Readability are loaded, as clearcopy's side is timed from before
  // it loads them (its extraction modules load lazily, on the first page).
  const started = performance.now();
  const { JSDOM } = await import('jsdom');
  const { Readability } = await import('@mozilla/readability');
  const files = readdirSync(args.inputs).filter((f) => f.endsWith('.html')).sort().map((f) => path.join(args.inputs, f));
  let parsed = 0;
  for (const file of files) {
    const html = readFileSync(file, 'utf8');
    const article = new Readability(new JSDOM(html, { url: pathToFileURL(file).href }).window.document).parse();
    if (article) parsed++;
    // The event loop turns between pages, as in clearcopy's own pipeline: jsdom and V8 release a
    // page's memory in tasks they queue (a loop that never yields measured 3-10% slower, 1.4 GiB RSS).
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(JSON.stringify({ ms: performance.now() - started, parsed }));
} else {
  console.error(`unknown job ${job}`);
  process.exit(2);
}
