#!/usr/bin/env node
// npm run conformance: render every page of the shared real-page corpora (130 Readability test
// pages + 90 news pages), audit every HTML copy with pa11y (htmlcs + axe) at WCAG2AAA plus
// clearcopy's accessibility-tree check, and print per-page and total counts. Not part of npm test.
// Skips cleanly when ../shared is absent. Options: --standard LEVEL, --limit N, --json FILE,
// --only ID[,ID…] (pages whose id contains one of the given strings, e.g. --only base-url,news/6a72).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { accessibilityTreeCheck } from '../dist/audit/ax-tree.js';
import { extract, loadBytes, loadTemplates, openAuditor, renderCopy, writeFileAtomic } from '../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '..', 'shared', 'corpus');
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const standard = arg('--standard', 'WCAG2AAA');
const limit = Number(arg('--limit', 'Infinity'));
const only = arg('--only', '').split(',').map((s) => s.trim()).filter(Boolean);
const jsonOut = arg('--json', path.join(root, 'reports', 'conformance.json'));

if (!existsSync(shared)) {
  console.log(`conformance: skipped — no shared corpus at ${shared}`);
  process.exit(0);
}

/** Every page of both corpora as { id, bytes, url }. */
function corpusPages() {
  const pages = [];
  const readability = path.join(shared, 'readability-pages');
  if (existsSync(readability)) {
    for (const dir of readdirSync(readability).sort()) {
      const file = path.join(readability, dir, 'source.html');
      if (existsSync(file)) pages.push({ id: `readability/${dir}`, bytes: readFileSync(file), url: `http://fakehost/test/${dir}/page.html` });
    }
  }
  const dev = path.join(shared, 'extraction-dev');
  if (existsSync(dev)) {
    const truth = JSON.parse(readFileSync(path.join(dev, 'ground-truth.json'), 'utf8'));
    for (const file of readdirSync(path.join(dev, 'html')).filter((f) => f.endsWith('.html.gz')).sort()) {
      const key = file.replace(/\.html\.gz$/, '');
      pages.push({ id: `news/${key.slice(0, 12)}`, bytes: gunzipSync(readFileSync(path.join(dev, 'html', file))), url: truth[key]?.url });
    }
  }
  return pages.filter((p) => !only.length || only.some((o) => p.id.includes(o))).slice(0, limit);
}

const pages = corpusPages();
const templates = loadTemplates();
const auditor = await openAuditor({ standard, pageChecks: [accessibilityTreeCheck], timeoutMs: 60_000 });
const results = [];
const warningCodes = {};
const started = performance.now();
let next = 0;
async function worker() {
  while (next < pages.length) {
    const page = pages[next++];
    const t0 = performance.now();
    const result = { id: page.id, status: 'ok', counts: {}, ours: [], undescribed: 0, ms: 0 };
    try {
      const doc = extract(loadBytes(page.bytes, { name: page.id, label: page.id, ...(page.url ? { url: page.url } : {}) }));
      const { html } = renderCopy(doc, templates);
      const { findings } = await auditor.audit(html, page.id);
      for (const f of [...doc.findings, ...findings]) {
        const key = `${f.source}:${f.severity}`;
        result.counts[key] = (result.counts[key] ?? 0) + 1;
        if (f.source === 'clearcopy') result.ours.push(f.code);
        if (f.severity === 'error' && f.source !== 'clearcopy') result.ours.push(`${f.source} ${f.code} ${f.selector ?? ''}`);
        if (f.severity === 'warning') warningCodes[`${f.source} ${f.code}`] = (warningCodes[`${f.source} ${f.code}`] ?? 0) + 1;
      }
      result.undescribed = doc.findings.filter((f) => f.code === 'clearcopy/needs-human-description').length;
    } catch (error) {
      // A page with no article is refused with one line naming the reason (the outcome a user gets
      // from `clearcopy render`); anything else is a page clearcopy failed to process.
      result.status = error?.code === 'NO_ARTICLE' ? 'refused' : 'failed';
      result.error = String(error.message).split('\n')[0];
    }
    result.ms = Math.round(performance.now() - t0);
    results.push(result);
    if (process.stdout.isTTY) process.stdout.write(`\r${results.length}/${pages.length}`);
  }
}
await Promise.all([worker(), worker()]);
await auditor.close();
if (process.stdout.isTTY) process.stdout.write('\n');
results.sort((a, b) => a.id.localeCompare(b.id));

const sum = (key) => results.reduce((n, r) => n + (r.counts[key] ?? 0), 0);
const keys = ['htmlcs:error', 'htmlcs:warning', 'htmlcs:notice', 'axe:error', 'axe:warning', 'axe:notice', 'clearcopy:error', 'clearcopy:warning'];
console.log(`\nclearcopy conformance — ${standard}, ${results.length} pages, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
console.log(['page'.padEnd(28), ...keys.map((k) => k.replace(':', ' ').padStart(15))].join(''));
for (const r of results) {
  if (r.status === 'failed') { console.log(`${r.id.padEnd(28)} FAILED: ${r.error}`); continue; }
  if (r.status === 'refused') { console.log(`${r.id.padEnd(28)} REFUSED: ${r.error}`); continue; }
  console.log([r.id.padEnd(28), ...keys.map((k) => String(r.counts[k] ?? 0).padStart(15))].join(''));
}
console.log(['TOTAL'.padEnd(28), ...keys.map((k) => String(sum(k)).padStart(15))].join(''));
const failed = results.filter((r) => r.status === 'failed');
const withErrors = results.filter((r) => (r.counts['htmlcs:error'] ?? 0) + (r.counts['axe:error'] ?? 0) + (r.counts['clearcopy:error'] ?? 0) > 0);
const undescribedPages = results.filter((r) => r.undescribed > 0);
const refused = results.filter((r) => r.status === 'refused');
console.log(`\npages not processed: ${failed.length}${failed.length ? ` (${failed.map((r) => r.id).join(', ')})` : ''}`);
console.log(`pages refused as having no article: ${refused.length}${refused.length ? ` (${refused.map((r) => r.id).join(', ')})` : ''}`);
console.log(`pages with pa11y or accessibility-tree errors: ${withErrors.length}`);
for (const r of withErrors) console.log(`  ${r.id}: ${[...new Set(r.ours.filter((c) => !c.includes('needs-human-description')))].join(' | ')}`);
console.log(`pages with "needs a human description": ${undescribedPages.length} (${undescribedPages.reduce((n, r) => n + r.undescribed, 0)} images)`);
const ourCodes = {};
for (const r of results) for (const code of r.ours) if (code.startsWith('clearcopy/')) ourCodes[code] = (ourCodes[code] ?? 0) + 1;
console.log('clearcopy findings:', Object.keys(ourCodes).length ? ourCodes : 'none');
console.log('most frequent warnings:', Object.entries(warningCodes).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([code, n]) => `\n  ${n} ${code}`).join(''));
console.log('slowest pages:', [...results].sort((a, b) => b.ms - a.ms).slice(0, 5).map((r) => `${r.id} ${r.ms} ms`).join(', '));
await writeFileAtomic(path.dirname(jsonOut), path.basename(jsonOut), `${JSON.stringify({ standard, totals: Object.fromEntries(keys.map((k) => [k, sum(k)])), failed: failed.length, refused: refused.length, warningCodes, pagesWithErrors: withErrors.length, results }, null, 2)}\n`);
process.exitCode = failed.length || withErrors.length ? 1 : 0;
