#!/usr/bin/env node
// Scores clearcopy's article extraction on a benchmark corpus, in either layout (see eval-corpus.mjs):
//   DIR/ground-truth.json + html/<key>.html.gz   the article-extraction benchmark (score-extraction.mjs)
//   DIR/evaldata.json + html/<file>.gz           trafilatura's segment benchmark (score-segments.mjs)
//
//   npm run eval:extraction -- --corpus DIR --out predictions.json [--worst N] [--no-baseline]
//                              [--scorer PATH] [--steps [name,name]] [--half A|B] [--quiet]
//
// Writes {key: {articleBody}}: for the article layout the body as clearcopy's text copy reads it,
// with the page's own words only (no headline, dek, byline, figure lines or listening aids); for the
// segment layout the words of the text copy a user gets (headline, dek and body, without the byline
// line and the "About this copy" notice). Scores them with the corpus's scorer (a child process),
// overall and on each half of the corpus (pages split by a hash of their key, eval-corpus.mjs
// halfOf), and prints bare Readability 0.6.0 beside them (unless --no-baseline) with per-page
// deltas, so "no page more than 0.05 below bare Readability" can be checked. --worst N lists the N
// worst pages; for the segment layout with the segments missed and the unwanted segments kept.
// --steps measures each clean-up step (or only the named ones): extraction again with that step
// left out (ExtractOptions.skipSteps), its gain overall and on each half, and the pages it fixes
// and hurts. --half A|B runs on one half only (quicker exploring).
// Exit code: 0 when it ran, 2 on usage or I/O errors.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../dist/index.js';
import { bareReadability, extractTexts, extractVariants, findScorer, loadCorpus, scoreHalves } from './eval-corpus.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run eval:extraction -- --corpus DIR --out predictions.json [--worst N] [--no-baseline] [--scorer PATH] [--steps [name,name]] [--half A|B] [--quiet]';

function usage(message) {
  if (message) process.stderr.write(`eval-extraction: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { corpus: undefined, out: undefined, worst: 10, baseline: true, scorer: undefined, quiet: false, steps: undefined, half: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') opts.corpus = argv[++i];
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '--worst') opts.worst = Number(argv[++i]);
    else if (a === '--no-baseline') opts.baseline = false;
    else if (a === '--scorer') opts.scorer = argv[++i];
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--half') opts.half = argv[++i];
    else if (a === '--steps') opts.steps = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i].split(',') : [];
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!opts.corpus) usage('--corpus DIR is required');
  opts.out ??= 'predictions.json';
  if (!Number.isInteger(opts.worst) || opts.worst < 0) usage('--worst needs a non-negative integer');
  if (opts.half !== undefined && opts.half !== 'A' && opts.half !== 'B') usage('--half takes A or B');
  return opts;
}

/**
 * Lets the event loop turn between pages: jsdom and V8 release a page's memory in tasks they queue,
 * so a loop that never yields grows until it runs out of memory (seen at ~2,000 pages).
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

const f = (x) => (x == null ? '  —  ' : x.toFixed(3));
const pad = (s, n) => String(s).padEnd(n);
const signed = (x) => (x >= 0 ? '+' : '') + x.toFixed(3);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let corpus;
  try {
    corpus = loadCorpus(opts.corpus);
  } catch (error) {
    usage(error.message);
  }
  if (opts.half) corpus.inputs = corpus.inputs.filter((p) => p.half === opts.half);
  const { layout, inputs } = corpus;
  const scorer = findScorer(layout, opts.corpus, path.resolve(HERE, '..'), opts.scorer);
  if (!scorer) usage(`the ${layout === 'article' ? 'score-extraction.mjs' : 'score-segments.mjs'} scorer was not found; pass --scorer PATH`);
  const scratch = opts.out.replace(/(\.json)?$/, '');

  const ours = {};
  const second = {};
  const bare = {};
  let oursMs = 0;
  let bareMs = 0;
  for (const page of inputs) {
    let t = performance.now();
    const texts = extractTexts(api, page, layout);
    ours[page.key] = { articleBody: texts.scored };
    second[page.key] = { articleBody: texts.second };
    oursMs += performance.now() - t;
    await turn();
    if (opts.baseline) {
      t = performance.now();
      bare[page.key] = { articleBody: bareReadability(api, page, layout) };
      bareMs += performance.now() - t;
      await turn();
    }
  }
  writeFileSync(opts.out, `${JSON.stringify(ours, null, 1)}\n`);
  const mine = scoreHalves(corpus, scorer, ours, `${scratch}.scoring`);
  const other = scoreHalves(corpus, scorer, second, `${scratch}.scoring`);
  let base;
  if (opts.baseline) {
    writeFileSync(`${scratch}.readability.json`, `${JSON.stringify(bare, null, 1)}\n`);
    base = scoreHalves(corpus, scorer, bare, `${scratch}.scoring`);
  }
  const count = (half) => inputs.filter((p) => p.half === half).length;

  const lines = [];
  lines.push(`corpus ${opts.corpus} (${layout} layout, ${path.basename(scorer)}): ${inputs.length} pages${opts.half ? ` (half ${opts.half} only)` : ''}; predictions in ${opts.out}`);
  lines.push('');
  const head = (name) => pad(name, 27);
  lines.push(`${pad('', 22)}${head(`all (${inputs.length})`)}${head(`half A (${count('A')})`)}${head(`half B (${count('B')})`)}time`);
  lines.push(`${pad('', 22)}${'F1    prec  recall   '.repeat(3)}`);
  const cells = (s) => `${pad(f(s.f1), 6)}${pad(f(s.precision), 6)}${pad(f(s.recall), 15)}`;
  const row = (name, r, ms) => `${pad(name, 22)}${cells(r.all.summary)}${cells(r.A.summary)}${cells(r.B.summary)}${(ms / 1000).toFixed(1)} s`;
  lines.push(row('clearcopy', mine, oursMs));
  lines.push(`${row(layout === 'article' ? '  as read' : '  no figure lines', other, 0).replace(/0\.0 s$/, '')}${layout === 'article' ? '(with list numbers and table labels)' : '(figures left out, as in the article layout)'}`);
  if (base) lines.push(row('bare Readability 0.6', base, bareMs));
  lines.push(`halves' F1 differ by ${Math.abs(mine.A.summary.f1 - mine.B.summary.f1).toFixed(3)} (clearcopy)${base ? `, ${Math.abs(base.A.summary.f1 - base.B.summary.f1).toFixed(3)} (bare Readability)` : ''}`);

  const pages = [...mine.all.pages.values()].map((p) => ({ ...p, base: base?.all.pages.get(p.key) }));
  // Worst first: lowest F1; for segments, most wrong segments first among equal F1.
  const errors = (p) => (p.fp ?? 0) + (p.fn ?? 0);
  lines.push('');
  lines.push(`${opts.worst} worst pages (F1, precision, recall${base ? ', bare Readability F1, delta' : ''}):`);
  for (const p of [...pages].sort((a, b) => a.f1 - b.f1 || errors(b) - errors(a)).slice(0, opts.worst)) {
    lines.push(`  ${f(p.f1)} ${f(p.precision)} ${f(p.recall)}${p.base ? `  ${f(p.base.f1)} ${signed(p.f1 - p.base.f1)}` : ''}  ${layout === 'article' ? `${p.key.slice(0, 12)}  ${p.url ?? ''}` : p.key}`);
    for (const s of p.missing ?? []) lines.push(`      missed: ${JSON.stringify(s)}`);
    for (const s of p.unwanted ?? []) lines.push(`      kept:   ${JSON.stringify(s)}`);
  }
  if (base) {
    const worse = pages.filter((p) => p.base && p.f1 < p.base.f1 - 0.05).sort((a, b) => (a.f1 - a.base.f1) - (b.f1 - b.base.f1));
    const better = pages.filter((p) => p.base && p.f1 > p.base.f1 + 0.005).length;
    const lower = pages.filter((p) => p.base && p.f1 < p.base.f1 - 0.005).length;
    lines.push('');
    lines.push(`per-page delta vs bare Readability: ${better} better, ${lower} worse (by > 0.005), ${worse.length} more than 0.05 below`);
    for (const p of worse.slice(0, opts.quiet ? 20 : Infinity)) lines.push(`  ${f(p.f1)} vs ${f(p.base.f1)} (${(p.f1 - p.base.f1).toFixed(3)})  ${layout === 'article' ? p.key.slice(0, 12) : p.key}`);
    if (!opts.quiet && layout === 'article') {
      lines.push('');
      lines.push('all pages by delta (clearcopy F1 − bare Readability F1):');
      for (const p of [...pages].sort((a, b) => (a.f1 - a.base.f1) - (b.f1 - b.base.f1))) {
        lines.push(`  ${signed(p.f1 - p.base.f1)}  ${f(p.f1)} ${f(p.base.f1)}  ${p.key.slice(0, 12)}  ${p.url ?? ''}`);
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opts.steps) await stepReport(opts, corpus, scorer, mine, scratch);
}

/**
 * Each clean-up step left out in turn: its gain (F1 with − F1 without) overall and per half, and
 * the pages it fixes and hurts (> 0.005). One extraction per page serves every step after
 * Readability and every step before it that changed nothing on that page (extractVariants).
 */
async function stepReport(opts, corpus, scorer, mine, scratch) {
  const { layout, inputs } = corpus;
  const known = new Set([...api.PREPARE_STEPS, ...api.NORMALIZE_STEPS].map((s) => s.name));
  for (const name of opts.steps) if (!known.has(name)) usage(`--steps: no step is named ${name} (steps: ${[...known].join(', ')})`);
  const chosen = (step) => opts.steps.length === 0 || opts.steps.includes(step.name);
  const prepare = api.PREPARE_STEPS.filter(chosen);
  const normalize = api.NORMALIZE_STEPS.filter(chosen);
  const without = new Map([...prepare, ...normalize].map((step) => [step.name, {}]));
  const variants = Object.fromEntries([...prepare, ...normalize].map((step) => [step.name, [step.name]]));
  for (const page of inputs) {
    for (const [name, text] of Object.entries(extractVariants(api, page, layout, variants))) without.get(name)[page.key] = { articleBody: text };
    await turn();
  }
  const lines = ['', 'clean-up steps, each left out in turn (gain = F1 with it − F1 without it, overall / half A / half B; pages it fixes / hurts by > 0.005):'];
  const label = (key) => (layout === 'article' ? key.slice(0, 12) : key);
  for (const [when, steps] of [['before Readability', prepare], ['after Readability', normalize]]) {
    if (steps.length) lines.push(`  ${when}:`);
    for (const step of steps) {
      const scored = scoreHalves(corpus, scorer, without.get(step.name), `${scratch}.scoring`);
      const fixed = [];
      const hurt = [];
      for (const [key, page] of mine.all.pages) {
        const delta = page.f1 - (scored.all.pages.get(key)?.f1 ?? 0);
        if (delta > 0.005) fixed.push(`${label(key)} +${delta.toFixed(3)}`);
        else if (delta < -0.005) hurt.push(`${label(key)} ${delta.toFixed(3)}`);
      }
      const gain = (half) => signed(mine[half].summary.f1 - scored[half].summary.f1);
      lines.push(`    ${pad(step.name, 24)} gain ${gain('all')} / ${gain('A')} / ${gain('B')}  fixes ${fixed.length}, hurts ${hurt.length}`);
      if (fixed.length) lines.push(`      fixes: ${fixed.join(', ')}`);
      if (hurt.length) lines.push(`      hurts: ${hurt.join(', ')}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
